package dev.promptedge.tools.eval;

import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.Box;
import java.util.Objects;

/**
 * A predicted box for detection metrics. Immutable value.
 *
 * @param classId index into the evaluated labels (the bundle's label order)
 * @param score confidence; higher ranks first
 * @param box the box in original image pixels
 */
public record ScoredBox(int classId, float score, Box box) {

  /** Checks presence, a finite score and that the class id is not negative. */
  public ScoredBox {
    Objects.requireNonNull(box, "box");
    if (classId < 0) {
      throw new IllegalArgumentException("classId must be >= 0, got " + classId);
    }
    if (!Float.isFinite(score)) {
      throw new IllegalArgumentException("score must be finite, got " + score);
    }
  }

  /** The runtime's detection as a scored box. */
  public static ScoredBox of(Detection d) {
    return new ScoredBox(d.classId(), d.score(), d.box());
  }
}
