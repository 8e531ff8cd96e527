package dev.promptedge.runtime.daemon.api;

import dev.promptedge.format.FrameEvent;
import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.task.InferenceResult;

/** A source's frame results as the {@link FrameEvent} of {@code GET /v1/events}. */
final class FrameEvents {

  private FrameEvents() {}

  /**
   * The event of {@code frame}: {@code queue_us} is the wait from arrival until inference started,
   * {@code total_us} arrival to results; masks as PNG only when {@code masks}.
   */
  static FrameEvent of(FrameResults frame, boolean masks) {
    long queueMicros = Math.max(0, frame.inferenceStartMillis() - frame.arrivedMillis()) * 1_000L;
    long totalMicros = Math.max(0, frame.inferenceEndMillis() - frame.arrivedMillis()) * 1_000L;
    FrameEvent.Builder e =
        FrameEvent.newBuilder()
            .setFormatVersion(1)
            .setSource(frame.source())
            .setSequence(frame.sequence())
            .setFrameUnixMs(frame.arrivedMillis())
            .setDroppedFrames(frame.droppedFrames());
    for (InferenceResult r : frame.results()) {
      e.addResults(Responses.result(r, queueMicros, 0, totalMicros, masks));
    }
    return e.build();
  }
}
