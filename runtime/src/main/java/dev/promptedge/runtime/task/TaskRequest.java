package dev.promptedge.runtime.task;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * One image to run, on a named task or on the active one.
 *
 * @param image the decoded image, any size
 * @param task the task name, or empty for the active task
 */
public record TaskRequest(BufferedImage image, Optional<String> task) {

  /** A request for the active task. */
  public static TaskRequest active(BufferedImage image) {
    return new TaskRequest(image, Optional.empty());
  }

  /** A request for task {@code name}. */
  public static TaskRequest of(BufferedImage image, String name) {
    return new TaskRequest(image, Optional.of(name));
  }
}
