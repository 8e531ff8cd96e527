package dev.promptedge.runtime.task;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * One image to run, on a named task or on the active one.
 *
 * @param image the decoded image, any size: the whole source, or the source decoded at the
 *     preprocessor's sample step ({@code Preprocessor.sampleStep})
 * @param task the task name, or empty for the active task
 * @param sourceWidth width of the source image, pixels; results are in its coordinates
 * @param sourceHeight height of the source image, pixels
 */
public record TaskRequest(
    BufferedImage image, Optional<String> task, int sourceWidth, int sourceHeight) {

  /** A request for {@code image} as the whole source. */
  public TaskRequest(BufferedImage image, Optional<String> task) {
    this(image, task, image.getWidth(), image.getHeight());
  }

  /** A request for the active task. */
  public static TaskRequest active(BufferedImage image) {
    return new TaskRequest(image, Optional.empty());
  }

  /** A request for task {@code name}. */
  public static TaskRequest of(BufferedImage image, String name) {
    return new TaskRequest(image, Optional.of(name));
  }
}
