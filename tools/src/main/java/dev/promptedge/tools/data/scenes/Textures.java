package dev.promptedge.tools.data.scenes;

import java.util.SplittableRandom;

/**
 * Cluttered backgrounds: a two-colour gradient overlaid with distractor textures (stripes, noise,
 * radial glows, blobs). Works on a packed 0xRRGGBB array; StrictMath keeps results identical on
 * every JVM.
 */
final class Textures {

  private Textures() {}

  static void paint(int[] rgb, int size, SplittableRandom r) {
    gradient(rgb, size, r);
    int distractors = 2 + r.nextInt(3);
    for (int i = 0; i < distractors; i++) {
      switch (r.nextInt(4)) {
        case 0 -> stripes(rgb, size, r);
        case 1 -> noise(rgb, r);
        case 2 -> glow(rgb, size, r);
        default -> blobs(rgb, size, r);
      }
    }
  }

  static int randomColour(SplittableRandom r) {
    return r.nextInt(1 << 24);
  }

  private static void gradient(int[] rgb, int size, SplittableRandom r) {
    int a = randomColour(r);
    int b = randomColour(r);
    boolean vertical = r.nextBoolean();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double t = (vertical ? y : x) / (double) (size - 1);
        rgb[y * size + x] = mix(a, b, t);
      }
    }
  }

  private static void stripes(int[] rgb, int size, SplittableRandom r) {
    double angle = r.nextDouble() * StrictMath.PI;
    double cos = StrictMath.cos(angle);
    double sin = StrictMath.sin(angle);
    double period = 3 + r.nextDouble() * size / 6.0;
    int colour = randomColour(r);
    double alpha = 0.3 + 0.4 * r.nextDouble();
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double u = x * cos + y * sin;
        if (u - StrictMath.floor(u / period) * period < period / 2) {
          rgb[y * size + x] = mix(rgb[y * size + x], colour, alpha);
        }
      }
    }
  }

  private static void noise(int[] rgb, SplittableRandom r) {
    int amplitude = 10 + r.nextInt(40);
    for (int i = 0; i < rgb.length; i++) {
      int p = rgb[i];
      int red = clamp((p >> 16 & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
      int green = clamp((p >> 8 & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
      int blue = clamp((p & 0xFF) + r.nextInt(-amplitude, amplitude + 1));
      rgb[i] = red << 16 | green << 8 | blue;
    }
  }

  private static void glow(int[] rgb, int size, SplittableRandom r) {
    double cx = r.nextDouble() * size;
    double cy = r.nextDouble() * size;
    double radius = size * (0.2 + 0.6 * r.nextDouble());
    int colour = randomColour(r);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double d =
            StrictMath.sqrt((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy));
        if (d < radius) {
          rgb[y * size + x] = mix(rgb[y * size + x], colour, 0.8 * (1 - d / radius));
        }
      }
    }
  }

  private static void blobs(int[] rgb, int size, SplittableRandom r) {
    int count = 2 + r.nextInt(4);
    for (int k = 0; k < count; k++) {
      double cx = r.nextDouble() * size;
      double cy = r.nextDouble() * size;
      double rx = 2 + r.nextDouble() * size / 6.0;
      double ry = 2 + r.nextDouble() * size / 6.0;
      int colour = randomColour(r);
      double alpha = 0.5 + 0.4 * r.nextDouble();
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          double u = (x + 0.5 - cx) / rx;
          double v = (y + 0.5 - cy) / ry;
          if (u * u + v * v <= 1) {
            rgb[y * size + x] = mix(rgb[y * size + x], colour, alpha);
          }
        }
      }
    }
  }

  /** {@code a * (1 - t) + b * t} per channel, rounded. */
  static int mix(int a, int b, double t) {
    int red = (int) StrictMath.round((a >> 16 & 0xFF) * (1 - t) + (b >> 16 & 0xFF) * t);
    int green = (int) StrictMath.round((a >> 8 & 0xFF) * (1 - t) + (b >> 8 & 0xFF) * t);
    int blue = (int) StrictMath.round((a & 0xFF) * (1 - t) + (b & 0xFF) * t);
    return clamp(red) << 16 | clamp(green) << 8 | clamp(blue);
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
  }
}
