package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An image with its object instances (COCO detection). Immutable apart from the image, which the
 * caller owns.
 *
 * @param imageId the COCO image id
 * @param id the image's {@code file_name}
 * @param file the image file
 * @param image the decoded image
 * @param instances the objects, in annotation order; empty when the image has none
 */
public record DetectionSample(
    long imageId, String id, Path file, BufferedImage image, List<Instance> instances)
    implements Sample {

  /** Checks presence and copies the list. */
  public DetectionSample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(image, "image");
    instances = List.copyOf(instances);
  }
}
