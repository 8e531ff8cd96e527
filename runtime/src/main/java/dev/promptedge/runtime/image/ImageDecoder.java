package dev.promptedge.runtime.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG or PNG bytes into an sRGB {@link BufferedImage} of {@link
 * BufferedImage#TYPE_INT_RGB}, refusing images above a pixel cap before any pixel is decoded.
 *
 * <p>Grey and palette images become RGB (grey samples are copied to R, G and B unchanged, as
 * Pillow's {@code convert("RGB")} does); alpha is dropped, keeping the colour channels as stored.
 * Every failure caused by the bytes is an {@link ImageDecodeException} with one clear message; a
 * reader warning (e.g. a JPEG missing its end) counts as corrupt data. Immutable and thread-safe.
 */
public final class ImageDecoder {

  /** Default pixel cap: 25 megapixels, e.g. 6000 x 4000 plus margin. */
  public static final long DEFAULT_MAX_PIXELS = 25_000_000L;

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10};
  private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  private static final int SHOWN_BYTES = 8;

  private final long maxPixels;

  /** A decoder with the {@linkplain #DEFAULT_MAX_PIXELS default pixel cap}. */
  public ImageDecoder() {
    this(DEFAULT_MAX_PIXELS);
  }

  /** A decoder that refuses images with more than {@code maxPixels} pixels (width x height). */
  public ImageDecoder(long maxPixels) {
    if (maxPixels < 1) {
      throw new IllegalArgumentException("maxPixels must be at least 1, got " + maxPixels);
    }
    this.maxPixels = maxPixels;
  }

  /** The largest number of pixels (width x height) this decoder accepts. */
  public long maxPixels() {
    return maxPixels;
  }

  /**
   * Decodes {@code bytes} (a whole JPEG or PNG file) into a new {@code TYPE_INT_RGB} image.
   *
   * @throws ImageDecodeException when the bytes are empty, not JPEG/PNG, truncated, corrupt, or
   *     describe an image above the pixel cap
   */
  public BufferedImage decode(byte[] bytes) {
    return decode(bytes, 1);
  }

  /**
   * Reads only the header of {@code bytes}: format and size, checked against the pixel cap, before
   * any pixel is decoded.
   *
   * @throws ImageDecodeException as {@link #decode(byte[])} does for the header
   */
  public ImageHeader header(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    String format = sniff(bytes);
    ImageReader reader = readerFor(format);
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      return readHeader(reader, format, bytes.length);
    } catch (IOException e) {
      throw corrupt(format, bytes.length, e);
    } finally {
      reader.dispose();
    }
  }

  /**
   * Decodes every {@code step}-th pixel of every {@code step}-th row of {@code bytes} (the middle
   * pixel of each {@code step x step} block, see {@link Preprocessor#sampleStep}); the reader never
   * holds the whole image, so a large image costs the memory of its sampled size. Step 1 decodes
   * every pixel.
   *
   * @throws ImageDecodeException as {@link #decode(byte[])} does
   */
  public BufferedImage decode(byte[] bytes, int step) {
    Objects.requireNonNull(bytes, "bytes");
    if (step < 1) {
      throw new IllegalArgumentException("step must be at least 1, got " + step);
    }
    String format = sniff(bytes);
    ImageReader reader = readerFor(format);
    try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
      reader.setInput(in, true, true);
      ImageHeader header = readHeader(reader, format, bytes.length);
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      ImageReadParam param = reader.getDefaultReadParam();
      if (step > 1) {
        param.setSourceSubsampling(
            step,
            step,
            Subsampling.offset(header.width(), step),
            Subsampling.offset(header.height(), step));
      }
      BufferedImage decoded;
      try {
        decoded = reader.read(0, param);
      } catch (IOException | RuntimeException e) {
        throw corrupt(format, bytes.length, e);
      }
      if (!warnings.isEmpty()) {
        throw new ImageDecodeException(
            String.format(
                Locale.ROOT,
                "%s data is truncated or corrupt (%d bytes): %s",
                format,
                bytes.length,
                warnings.get(0)));
      }
      return IntRgbConversion.toIntRgb(decoded);
    } catch (IOException e) {
      // Only closing an in-memory stream can get here.
      throw corrupt(format, bytes.length, e);
    } finally {
      reader.dispose();
    }
  }

  private ImageHeader readHeader(ImageReader reader, String format, int length) {
    int width;
    int height;
    try {
      width = reader.getWidth(0);
      height = reader.getHeight(0);
    } catch (IOException | RuntimeException e) {
      throw corrupt(format, length, e);
    }
    checkSize(format, width, height);
    return new ImageHeader(format, width, height);
  }

  /** Returns "PNG" or "JPEG" from the leading bytes, or throws a message naming what was seen. */
  static String sniff(byte[] bytes) {
    if (bytes.length == 0) {
      throw new ImageDecodeException("empty image: 0 bytes received, expected a JPEG or PNG file");
    }
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return "PNG";
    }
    if (startsWith(bytes, JPEG_SIGNATURE)) {
      return "JPEG";
    }
    if (isPrefixOf(bytes, PNG_SIGNATURE) || isPrefixOf(bytes, JPEG_SIGNATURE)) {
      throw new ImageDecodeException(
          "truncated image: only " + bytes.length + " bytes, the file ends inside its signature");
    }
    throw new ImageDecodeException(
        "not a JPEG or PNG image: the first bytes are "
            + describeFirstBytes(bytes)
            + " (a PNG starts with 89 50 4E 47, a JPEG with FF D8 FF)");
  }

  private void checkSize(String format, int width, int height) {
    long pixels = (long) width * height;
    if (width <= 0 || height <= 0) {
      throw new ImageDecodeException(
          format + " header is corrupt: image size " + width + "x" + height);
    }
    if (pixels > maxPixels) {
      throw new ImageDecodeException(
          String.format(
              Locale.ROOT,
              "image too large: %s of %dx%d = %d pixels exceeds the limit of %d pixels;"
                  + " downscale it before sending, or raise the decoder's pixel limit",
              format,
              width,
              height,
              pixels,
              maxPixels));
    }
  }

  private static ImageReader readerFor(String format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO reader for " + format);
    }
    return readers.next();
  }

  private static ImageDecodeException corrupt(String format, int length, Exception cause) {
    String detail =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new ImageDecodeException(
        String.format(
            Locale.ROOT, "%s data is truncated or corrupt (%d bytes): %s", format, length, detail),
        cause);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPrefixOf(byte[] bytes, byte[] signature) {
    if (bytes.length >= signature.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != signature[i]) {
        return false;
      }
    }
    return true;
  }

  /** Hex of the first bytes plus their printable ASCII, e.g. {@code 47 49 46 38 ("GIF8")}. */
  static String describeFirstBytes(byte[] bytes) {
    int n = Math.min(bytes.length, SHOWN_BYTES);
    StringBuilder hex = new StringBuilder();
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int b = bytes[i] & 0xFF;
      if (i > 0) {
        hex.append(' ');
      }
      hex.append(String.format(Locale.ROOT, "%02X", b));
      text.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
    }
    return hex + " (\"" + text + "\")";
  }
}
