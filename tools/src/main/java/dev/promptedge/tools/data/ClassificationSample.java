package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An image with its one class (ImageFolder classification).
 *
 * @param id the file's path relative to the dataset root, with '/' separators
 * @param file the image file
 * @param image the decoded image
 * @param classIndex index into the dataset's labels
 */
public record ClassificationSample(String id, Path file, BufferedImage image, int classIndex)
    implements Sample {

  /** Checks presence and that the class index is not negative. */
  public ClassificationSample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(image, "image");
    if (classIndex < 0) {
      throw new IllegalArgumentException("classIndex must be >= 0, got " + classIndex);
    }
  }
}
