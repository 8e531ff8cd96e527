package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.Box;
import java.util.Objects;
import java.util.Optional;

/**
 * One annotated object of a detection sample, in original image pixels. Immutable value.
 *
 * @param classIndex index into the dataset's labels (categories sorted by id)
 * @param categoryId the COCO category id
 * @param box the box, continuous pixel coordinates, clamped to the image
 * @param crowd COCO {@code iscrowd}: the box covers a group (evaluation ignores matches to it)
 * @param mask the instance mask, when the annotation has a segmentation
 */
public record Instance(
    int classIndex, long categoryId, Box box, boolean crowd, Optional<InstanceMask> mask) {

  /** Checks presence and that the class index is not negative. */
  public Instance {
    Objects.requireNonNull(box, "box");
    Objects.requireNonNull(mask, "mask");
    if (classIndex < 0) {
      throw new IllegalArgumentException("classIndex must be >= 0, got " + classIndex);
    }
  }
}
