package dev.promptedge.tools.eval;

import dev.promptedge.runtime.image.Box;
import java.util.Objects;

/**
 * A ground-truth object for detection metrics. Immutable value.
 *
 * @param classId index into the evaluated labels (the bundle's label order)
 * @param box the object's box in original image pixels
 * @param crowd COCO {@code iscrowd}: a detection matching it is neither a true nor a false
 *     positive, and the object is never a missed one
 */
public record GtBox(int classId, Box box, boolean crowd) {

  /** Checks presence and that the class id is not negative. */
  public GtBox {
    Objects.requireNonNull(box, "box");
    if (classId < 0) {
      throw new IllegalArgumentException("classId must be >= 0, got " + classId);
    }
  }

  /** A regular (not crowd) object. */
  public static GtBox of(int classId, Box box) {
    return new GtBox(classId, box, false);
  }
}
