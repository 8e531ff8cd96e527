package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image with its per-pixel class mask (semantic segmentation), both of the same size.
 *
 * @param id the image's name without extension
 * @param file the image file
 * @param image the decoded image
 * @param mask class index per pixel, {@link ClassMask#IGNORE} where unlabelled
 */
public record SegmentationSample(String id, Path file, BufferedImage image, ClassMask mask)
    implements Sample {

  /** Checks presence and that the mask has the image's size. */
  public SegmentationSample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    if (mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
      throw new IllegalArgumentException(
          "mask "
              + mask.width()
              + "x"
              + mask.height()
              + " does not match image "
              + image.getWidth()
              + "x"
              + image.getHeight());
    }
  }
}
