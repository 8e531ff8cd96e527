package dev.promptedge.tools.cli;

import dev.promptedge.tools.data.FashionMnist;
import java.util.SplittableRandom;

/** Synthetic glyphs standing in for Fashion-MNIST in evaluation tests. */
public final class EvalGlyphs {

  private EvalGlyphs() {}

  /** 20 filled rectangles and ellipses, labels 0..9. */
  public static FashionMnist glyphs() {
    int n = 20;
    int side = FashionMnist.SIDE;
    byte[] pixels = new byte[n * side * side];
    byte[] labels = new byte[n];
    SplittableRandom r = new SplittableRandom(3);
    for (int g = 0; g < n; g++) {
      labels[g] = (byte) (g % 10);
      int w = 10 + r.nextInt(16);
      int h = 10 + r.nextInt(16);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double u = (x + 0.5 - side / 2.0) / (w / 2.0);
          double v = (y + 0.5 - side / 2.0) / (h / 2.0);
          boolean in = g % 2 == 0 ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
          if (in) {
            pixels[g * side * side + y * side + x] = (byte) (80 + r.nextInt(170));
          }
        }
      }
    }
    return FashionMnist.of(pixels, labels);
  }
}
