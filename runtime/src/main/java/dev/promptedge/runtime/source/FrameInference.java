package dev.promptedge.runtime.source;

import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import java.util.List;

/**
 * Decodes one encoded frame and runs a list of tasks on it; an empty list means every installed
 * task. Called from every source's inference thread, so implementations are thread-safe.
 */
@FunctionalInterface
public interface FrameInference {
  /**
   * The results of the tasks on the frame, in task order.
   *
   * @throws dev.promptedge.runtime.image.ImageDecodeException when the bytes are not an image
   */
  List<InferenceResult> infer(byte[] encoded, List<String> tasks);

  /**
   * All named (or all installed) tasks as one mixed-task batch, resolved at each frame so a swap or
   * install applies at the next one; named tasks that are not installed are left out until they
   * are. Sources take turns (fairly) at the engine, so the API's queue waits for at most one frame.
   */
  static FrameInference of(TaskEngine engine) {
    return of(engine, ImageDecoder.DEFAULT_MAX_PIXELS);
  }

  /** As {@link #of(TaskEngine)}, refusing frames above {@code maxPixels} pixels. */
  static FrameInference of(TaskEngine engine, long maxPixels) {
    return new EngineFrameInference(engine, new ImageDecoder(maxPixels));
  }
}
