package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small images written by tests. */
final class TestImages {

  private TestImages() {}

  static Path rgbPng(Path file, int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, (x * 40 & 0xFF) << 16 | (y * 40 & 0xFF) << 8 | 0x55);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(img, file.toString().endsWith(".jpg") ? "jpg" : "png", file.toFile());
    return file;
  }

  /** A palette PNG (16 palette entries plus 255) with the given indices, written by ImageIO. */
  static Path palettePng(Path file, int w, int h, int[] indices) throws IOException {
    byte[] r = new byte[256];
    byte[] g = new byte[256];
    byte[] b = new byte[256];
    for (int i = 0; i < 256; i++) {
      r[i] = (byte) (i * 7);
      g[i] = (byte) (255 - i);
      b[i] = (byte) (i * 13);
    }
    BufferedImage img =
        new BufferedImage(
            w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 256, r, g, b));
    img.getRaster().setPixels(0, 0, w, h, indices);
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  static Path greyPng(Path file, int w, int h, int[] values) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setPixels(0, 0, w, h, values);
    Files.createDirectories(file.getParent());
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
