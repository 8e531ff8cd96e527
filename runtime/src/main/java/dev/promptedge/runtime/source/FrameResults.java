package dev.promptedge.runtime.source;

import dev.promptedge.runtime.task.InferenceResult;
import java.util.List;

/**
 * The results of every task on one frame of one source, with its timestamps (epoch millis) and
 * drops so far.
 */
public record FrameResults(
    String source,
    long sequence,
    long arrivedMillis,
    long inferenceStartMillis,
    long inferenceEndMillis,
    List<InferenceResult> results,
    long droppedFrames) {
  public FrameResults {
    results = List.copyOf(results);
  }
}
