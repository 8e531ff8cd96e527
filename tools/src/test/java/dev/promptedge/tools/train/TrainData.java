package dev.promptedge.tools.train;

import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.scenes.SceneDatasets;
import dev.promptedge.tools.data.scenes.SceneOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny generated scene datasets (32x32, hand-made glyphs) for training tests. */
public final class TrainData {

  private TrainData() {}

  /** Writes detection/, segmentation/ and classification/ under {@code out}. */
  public static Path generate(Path out, int train, int val) {
    FashionMnist glyphs = glyphs();
    SceneDatasets.generate(
        out,
        3,
        new SceneOptions(32, 2),
        List.of(
            new SceneDatasets.SplitPlan(Split.TRAIN, train, glyphs, "synthetic"),
            new SceneDatasets.SplitPlan(Split.VAL, val, glyphs, "synthetic")),
        (split, done, count) -> {});
    return out;
  }

  /** 40 glyphs of two shapes: filled ellipses (label 0) and rectangles (label 1). */
  static FashionMnist glyphs() {
    int n = 40;
    int side = FashionMnist.SIDE;
    byte[] pixels = new byte[n * side * side];
    byte[] labels = new byte[n];
    SplittableRandom r = new SplittableRandom(42);
    for (int g = 0; g < n; g++) {
      boolean ellipse = g % 2 == 0;
      labels[g] = (byte) (ellipse ? 0 : 1);
      int w = 14 + r.nextInt(12);
      int h = 14 + r.nextInt(12);
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double u = (x + 0.5 - side / 2.0) / (w / 2.0);
          double v = (y + 0.5 - side / 2.0) / (h / 2.0);
          boolean in = ellipse ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
          if (in) {
            pixels[g * side * side + y * side + x] = (byte) (120 + r.nextInt(136));
          }
        }
      }
    }
    return FashionMnist.of(pixels, labels);
  }
}
