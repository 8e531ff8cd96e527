package dev.promptedge.runtime.head;

import java.util.Objects;

/**
 * One class of a classification result. Immutable value.
 *
 * @param classId index into the bundle's labels
 * @param label the class name, {@code labels[classId]}
 * @param probability softmax probability of the class, in 0..1
 */
public record ClassProbability(int classId, String label, float probability) {

  /** Checks that the label is present and the class id is not negative. */
  public ClassProbability {
    Objects.requireNonNull(label, "label");
    if (classId < 0) {
      throw new IllegalArgumentException("classId must be >= 0, got " + classId);
    }
  }
}
