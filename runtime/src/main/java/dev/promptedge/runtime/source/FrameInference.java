package dev.promptedge.runtime.source;

import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.util.List;

/** Runs a list of tasks on one decoded frame; an empty list means every installed task. */
@FunctionalInterface
public interface FrameInference {
  List<InferenceResult> infer(BufferedImage image, List<String> tasks);

  /**
   * All named (or all installed) tasks as one mixed-task batch, resolved at each frame so installs
   * apply at the next one.
   */
  static FrameInference of(TaskEngine engine) {
    return (image, tasks) -> {
      List<String> names = tasks.isEmpty() ? engine.installed() : tasks;
      if (names.isEmpty()) {
        return List.of();
      }
      return engine.infer(names.stream().map(n -> TaskRequest.of(image, n)).toList());
    };
  }
}
