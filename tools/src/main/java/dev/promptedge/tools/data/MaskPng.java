package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.PngBytes;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Class-mask PNG files: reads a palette PNG (the palette index is the class, as in Pascal VOC) or
 * an 8-bit grey PNG (the grey value is the class) into a {@link ClassMask}; writes either form.
 * Masks are read with ImageIO's raw raster, not the runtime's image decoder, because decoding to
 * RGB would lose the indices. Writing is deterministic: equal masks give equal bytes. Stateless.
 */
public final class MaskPng {

  private MaskPng() {}

  /**
   * Reads a class mask PNG.
   *
   * @throws DatasetException when the file is missing, not a PNG, larger than the runtime decoder's
   *     pixel cap, or neither palette nor 8-bit grey
   */
  public static ClassMask read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "mask file is missing");
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new DatasetException(file, "mask is not a PNG image");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        if (!"png".equalsIgnoreCase(reader.getFormatName())) {
          throw new DatasetException(
              file, "mask is " + reader.getFormatName() + ", expected a PNG (lossless)");
        }
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > ImageFiles.DECODER.maxPixels()) {
          throw new DatasetException(
              file,
              "mask of "
                  + reader.getWidth(0)
                  + "x"
                  + reader.getHeight(0)
                  + " exceeds the limit of "
                  + ImageFiles.DECODER.maxPixels()
                  + " pixels");
        }
        return toMask(file, reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new DatasetException(file, "mask PNG is truncated or corrupt: " + e.getMessage(), e);
    }
  }

  private static ClassMask toMask(Path file, BufferedImage img) {
    Raster raster = img.getRaster();
    boolean palette = img.getColorModel() instanceof IndexColorModel;
    boolean grey8 =
        !palette && raster.getNumBands() == 1 && raster.getSampleModel().getSampleSize(0) == 8;
    if (!palette && !grey8) {
      throw new DatasetException(
          file,
          "mask has "
              + raster.getNumBands()
              + " band(s) of "
              + raster.getSampleModel().getSampleSize(0)
              + " bits; expected a palette PNG (index = class) or an 8-bit grey PNG (value ="
              + " class)");
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] classes = new byte[w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        classes[y * w + x] = (byte) row[x];
      }
    }
    return new ClassMask(w, h, classes);
  }

  /** The mask as an 8-bit palette PNG with the Pascal VOC colour map (index 255 is cream). */
  public static byte[] toPalettePng(ClassMask mask) {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      int c = i;
      int rv = 0;
      int gv = 0;
      int bv = 0;
      for (int j = 0; j < 8; j++) {
        rv |= (c & 1) << (7 - j);
        gv |= (c >> 1 & 1) << (7 - j);
        bv |= (c >> 2 & 1) << (7 - j);
        c >>= 3;
      }
      r[i] = (byte) rv;
      g[i] = (byte) gv;
      b[i] = (byte) bv;
    }
    r[255] = (byte) 224;
    g[255] = (byte) 224;
    b[255] = (byte) 192;
    BufferedImage img =
        new BufferedImage(
            mask.width(),
            mask.height(),
            BufferedImage.TYPE_BYTE_INDEXED,
            new IndexColorModel(8, 256, r, g, b));
    return png(img, mask);
  }

  /** The mask as an 8-bit grey PNG whose values are the class indices. */
  public static byte[] toGreyPng(ClassMask mask) {
    return png(new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_BYTE_GRAY), mask);
  }

  private static byte[] png(BufferedImage img, ClassMask mask) {
    byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    byte[] classes = mask.classes();
    System.arraycopy(classes, 0, data, 0, classes.length);
    return PngBytes.encode(img);
  }
}
