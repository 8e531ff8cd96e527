package dev.promptedge.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

  private final ImageDecoder decoder = new ImageDecoder();

  @Test
  void pngRoundTripIsExact() {
    BufferedImage src = gradient(7, 5);
    BufferedImage out = decoder.decode(encode(src, "png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
    assertEquals(7, out.getWidth());
    assertEquals(5, out.getHeight());
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 7; x++) {
        assertEquals(
            src.getRGB(x, y) & 0xFFFFFF, out.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void jpegDecodesCloseToTheOriginal() {
    BufferedImage src = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        src.setRGB(x, y, x < 16 ? 0xC84020 : 0x2060A0);
      }
    }
    BufferedImage out = decoder.decode(encode(src, "jpeg"));
    assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
    assertEquals(32, out.getWidth());
    assertEquals(24, out.getHeight());
    // Far from the colour edge, JPEG keeps flat colours within a few levels per channel.
    assertRgbNear(0xC84020, out.getRGB(4, 12), 6);
    assertRgbNear(0x2060A0, out.getRGB(28, 12), 6);
  }

  @Test
  void greyPngIsReplicatedWithoutGammaConversion() {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 255});
    BufferedImage out = decoder.decode(encode(grey, "png"));
    // AWT's own getRGB on a grey image would turn 128 into 0xBC (linear-to-sRGB); we keep 128.
    assertEquals(0x000000, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x808080, out.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, out.getRGB(2, 0) & 0xFFFFFF);
  }

  @Test
  void sixteenBitGreyPngIsScaledToEightBits() {
    BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0x8080, 0xFFFF});
    BufferedImage out = decoder.decode(encode(grey, "png"));
    assertEquals(0x808080, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, out.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void greyWithAlphaPngDropsAlpha() {
    BufferedImage ga =
        ImageTypeSpecifier.createGrayscale(8, DataBuffer.TYPE_BYTE, false, false)
            .createBufferedImage(2, 1);
    ga.getRaster().setSample(0, 0, 0, 100);
    ga.getRaster().setSample(0, 0, 1, 0); // fully transparent: the grey value still counts
    ga.getRaster().setSample(1, 0, 0, 200);
    ga.getRaster().setSample(1, 0, 1, 255);
    BufferedImage out = decoder.decode(encode(ga, "png"));
    assertEquals(0x646464, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xC8C8C8, out.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void palettePngIsExpandedToItsColours() {
    byte[] r = {0, (byte) 255, 10};
    byte[] g = {0, 0, 20};
    byte[] b = {0, 0, 30};
    BufferedImage pal =
        new BufferedImage(
            3, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 3, r, g, b));
    pal.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {2, 1, 0});
    BufferedImage out = decoder.decode(encode(pal, "png"));
    assertEquals(0x0A141E, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xFF0000, out.getRGB(1, 0) & 0xFFFFFF);
    assertEquals(0x000000, out.getRGB(2, 0) & 0xFFFFFF);
  }

  @Test
  void rgbaPngDropsAlphaKeepingStoredColour() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x80FF8000);
    argb.setRGB(1, 0, 0x00123456);
    BufferedImage out = decoder.decode(encode(argb, "png"));
    assertEquals(BufferedImage.TYPE_INT_RGB, out.getType());
    assertEquals(0xFF8000, out.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x123456, out.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void emptyInputIsRefused() {
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> decoder.decode(new byte[0]));
    assertTrue(e.getMessage().startsWith("empty image"), e.getMessage());
  }

  @Test
  void nonImageBytesNameTheFirstBytes() {
    byte[] gif = "GIF89a....".getBytes(StandardCharsets.US_ASCII);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(gif));
    assertTrue(e.getMessage().startsWith("not a JPEG or PNG image"), e.getMessage());
    assertTrue(e.getMessage().contains("47 49 46 38 39 61 2E 2E (\"GIF89a..\")"), e.getMessage());
  }

  @Test
  void truncatedPngIsRefused() {
    byte[] png = encode(gradient(64, 64), "png");
    byte[] half = Arrays.copyOf(png, png.length / 2);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(half));
    assertTrue(e.getMessage().startsWith("PNG data is truncated or corrupt"), e.getMessage());
  }

  @Test
  void truncatedJpegIsRefusedEvenWhenTheReaderOnlyWarns() {
    byte[] jpeg = encode(gradient(64, 64), "jpeg");
    // Half the file loses the scan header (a reader error); 90 % cuts inside the scan, where the
    // JPEG reader merely warns "Missing EOI marker" and would return a half-grey image.
    for (int len : new int[] {jpeg.length / 2, jpeg.length * 9 / 10}) {
      byte[] cut = Arrays.copyOf(jpeg, len);
      ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(cut));
      assertTrue(e.getMessage().startsWith("JPEG data is truncated or corrupt"), e.getMessage());
    }
  }

  @Test
  void truncatedSignatureIsRefused() {
    ImageDecodeException e =
        assertThrows(
            ImageDecodeException.class, () -> decoder.decode(new byte[] {(byte) 0x89, 'P', 'N'}));
    assertTrue(e.getMessage().startsWith("truncated image: only 3 bytes"), e.getMessage());
  }

  @Test
  void garbageAfterAValidSignatureIsRefusedWithOneExceptionType() {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[1 + random.nextInt(200)];
      random.nextBytes(bytes);
      if (i % 2 == 0) {
        System.arraycopy(
            new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10},
            0,
            bytes,
            0,
            Math.min(8, bytes.length));
      } else {
        System.arraycopy(
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            0,
            bytes,
            0,
            Math.min(3, bytes.length));
      }
      assertThrows(ImageDecodeException.class, () -> decoder.decode(bytes), "case " + i);
    }
  }

  @Test
  void oversizedHeaderIsRefusedBeforeDecodingPixels() {
    // A hand-written 10000x10000 RGB PNG whose IDAT is 3 bytes of nonsense: decoding pixels would
    // fail as corrupt data (after allocating 300 MB), so "too large" proves the header check ran
    // first.
    byte[] png = pngWithHeaderOnly(10_000, 10_000);
    ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(png));
    assertEquals(
        "image too large: PNG of 10000x10000 = 100000000 pixels exceeds the limit of 25000000"
            + " pixels; downscale it before sending, or raise the decoder's pixel limit",
        e.getMessage());
    ImageDecodeException corrupt =
        assertThrows(
            ImageDecodeException.class,
            () -> new ImageDecoder(1_000_000).decode(pngWithHeaderOnly(20, 20)));
    assertTrue(corrupt.getMessage().startsWith("PNG data is truncated or corrupt"));
  }

  @Test
  void pixelCapIsInclusive() {
    byte[] png = encode(gradient(10, 10), "png");
    assertEquals(10, new ImageDecoder(100).decode(png).getWidth());
    ImageDecodeException e =
        assertThrows(ImageDecodeException.class, () -> new ImageDecoder(99).decode(png));
    assertTrue(
        e.getMessage().contains("10x10 = 100 pixels exceeds the limit of 99"), e.getMessage());
  }

  @Test
  void nonPositiveCapIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> new ImageDecoder(0));
  }

  static BufferedImage gradient(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(
            x, y, (x * 255 / Math.max(1, w - 1)) << 16 | (y * 255 / Math.max(1, h - 1)) << 8 | 77);
      }
    }
    return img;
  }

  static byte[] encode(BufferedImage img, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] pngWithHeaderOnly(int width, int height) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
      ByteBuffer ihdr = ByteBuffer.allocate(13);
      ihdr.putInt(width).putInt(height).put((byte) 8).put((byte) 2); // 8-bit truecolour
      chunk(out, "IHDR", ihdr.array());
      chunk(out, "IDAT", new byte[] {1, 2, 3});
      chunk(out, "IEND", new byte[0]);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeInt(data.length);
    out.write(name);
    out.write(data);
    out.writeInt((int) crc.getValue());
  }

  private static void assertRgbNear(int expected, int actual, int tolerance) {
    for (int shift = 0; shift <= 16; shift += 8) {
      int e = expected >> shift & 0xFF;
      int a = actual >> shift & 0xFF;
      assertTrue(
          Math.abs(e - a) <= tolerance,
          String.format(
              "channel >>%d: expected %d, got %d (rgb %06X)", shift, e, a, actual & 0xFFFFFF));
    }
  }

  @Test
  void firstBytesDescriptionShowsNonPrintablesAsDots() {
    assertEquals("00 FF 41 (\"..A\")", ImageDecoder.describeFirstBytes(new byte[] {0, -1, 'A'}));
  }
}
