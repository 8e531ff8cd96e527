package dev.promptedge.runtime.head;

import dev.promptedge.runtime.image.Box;
import java.util.Objects;

/**
 * One detected object in original-image coordinates. Immutable value.
 *
 * @param classId index into the bundle's labels
 * @param label the class name, {@code labels[classId]}
 * @param score {@code sigmoid(objectness) * softmax(class logits)[classId]}, in 0..1
 * @param box the object's box in original-image pixels, clamped to the image
 */
public record Detection(int classId, String label, float score, Box box) {

  /** Checks that the label and box are present and the class id is not negative. */
  public Detection {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(box, "box");
    if (classId < 0) {
      throw new IllegalArgumentException("classId must be >= 0, got " + classId);
    }
  }
}
