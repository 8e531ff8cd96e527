package dev.promptedge.tools.pack;

import dev.promptedge.runtime.image.PngBytes;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** Small seeded synthetic images for self-tests: a gradient with a few coloured shapes. */
public final class SelfTestImages {

  private SelfTestImages() {}

  /** A {@code width} x {@code height} image, the same for the same seed. */
  public static BufferedImage synthetic(int width, int height, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setPaint(new GradientPaint(0, 0, color(random), width, height, color(random)));
      g.fillRect(0, 0, width, height);
      for (int i = 0; i < 3; i++) {
        g.setColor(color(random));
        int w = 1 + random.nextInt(Math.max(1, width / 2));
        int h = 1 + random.nextInt(Math.max(1, height / 2));
        int x = random.nextInt(Math.max(1, width - w));
        int y = random.nextInt(Math.max(1, height - h));
        if (i % 2 == 0) {
          g.fillRect(x, y, w, h);
        } else {
          g.fillOval(x, y, w, h);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** {@link #synthetic} encoded as PNG. */
  public static byte[] syntheticPng(int width, int height, long seed) {
    return png(synthetic(width, height, seed));
  }

  /** {@code image} encoded as PNG. */
  public static byte[] png(BufferedImage image) {
    return PngBytes.encode(image);
  }

  private static Color color(SplittableRandom random) {
    return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
  }
}
