package dev.promptedge.runtime.head;

import dev.promptedge.runtime.image.Letterbox;
import java.util.List;
import java.util.Objects;

/** Argument checks and small numeric helpers shared by the decoders. */
final class HeadChecks {

  private HeadChecks() {}

  /** An immutable copy of {@code labels}, refusing an empty list or null entries. */
  static List<String> labels(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("labels must name at least one class");
    }
    return List.copyOf(labels); // throws NullPointerException on a null label
  }

  static void grid(int gridHeight, int gridWidth, int patchSize) {
    if (gridHeight < 1 || gridWidth < 1 || patchSize < 1) {
      throw new IllegalArgumentException(
          "grid and patch size must be positive: grid "
              + gridHeight
              + "x"
              + gridWidth
              + ", patch "
              + patchSize);
    }
  }

  /** Refuses a head output too short for {@code needed} floats from {@code offset}. */
  static void output(float[] output, int offset, int needed, String what) {
    Objects.requireNonNull(output, "output");
    if (offset < 0 || (long) offset + needed > output.length) {
      throw new IllegalArgumentException(
          "head output has "
              + output.length
              + " floats; "
              + what
              + " needs "
              + needed
              + " from offset "
              + offset);
    }
  }

  /** Refuses a letterbox whose model input is not the grid times the patch size. */
  static void letterbox(Letterbox letterbox, int gridHeight, int gridWidth, int patchSize) {
    Objects.requireNonNull(letterbox, "letterbox");
    if (letterbox.dstWidth() != gridWidth * patchSize
        || letterbox.dstHeight() != gridHeight * patchSize) {
      throw new IllegalArgumentException(
          "letterbox model input is "
              + letterbox.dstWidth()
              + "x"
              + letterbox.dstHeight()
              + " but the head's "
              + gridWidth
              + "x"
              + gridHeight
              + " grid of "
              + patchSize
              + "-pixel patches covers "
              + gridWidth * patchSize
              + "x"
              + gridHeight * patchSize);
    }
  }

  /** Logistic function, without overflow for large |x|. */
  static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }
}
