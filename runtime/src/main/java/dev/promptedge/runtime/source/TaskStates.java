package dev.promptedge.runtime.source;

import dev.promptedge.format.TaskState;
import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** A frame's results as one {@link TaskState} per task: what each task counted on the frame. */
public final class TaskStates {

  private TaskStates() {}

  /** One state per result of {@code frame}, in the frame's task order. */
  public static List<TaskState> of(FrameResults frame) {
    List<TaskState> states = new ArrayList<>(frame.results().size());
    for (InferenceResult r : frame.results()) {
      TaskState.Builder s =
          TaskState.newBuilder()
              .setFormatVersion(1)
              .setSource(frame.source())
              .setBundleName(r.bundleName())
              .setBundleVersion(r.bundleVersion())
              .setTask(r.task())
              .setSequence(frame.sequence())
              .setFrameUnixMs(frame.arrivedMillis())
              .setInferenceUs(
                  (int)
                      Math.min(
                          Integer.MAX_VALUE,
                          r.timings().backboneMicros()
                              + r.timings().headMicros()
                              + r.timings().postprocessMicros()))
              .setDroppedFrames(frame.droppedFrames());
      TreeMap<String, Integer> counts = new TreeMap<>();
      if (r.output() instanceof TaskOutput.Detections d) {
        for (Detection box : d.boxes()) {
          counts.merge(box.label(), 1, Integer::sum);
        }
        s.setObjects(d.boxes().size());
      } else if (r.output() instanceof TaskOutput.Segmentation seg) {
        SegmentationMask mask = seg.mask();
        int[] pixels = mask.classPixels();
        for (int c = 0; c < pixels.length; c++) {
          if (pixels[c] > 0) {
            counts.merge(mask.labels().get(c), pixels[c], Integer::sum);
          }
        }
      } else if (r.output() instanceof TaskOutput.Classes cls && !cls.top().isEmpty()) {
        ClassProbability top = cls.top().get(0);
        counts.put(top.label(), 1);
      }
      s.putAllCounts(counts);
      states.add(s.build());
    }
    return states;
  }
}
