package dev.promptedge.runtime.task;

import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import java.util.List;

/** The post-processed result of one inference, in original image coordinates. */
public sealed interface TaskOutput {

  /**
   * Detected objects after class-wise non-maximum suppression, best first.
   *
   * @param boxes the detections
   */
  record Detections(List<Detection> boxes) implements TaskOutput {
    public Detections {
      boxes = List.copyOf(boxes);
    }
  }

  /**
   * A class per pixel of the original image.
   *
   * @param mask the class map
   */
  record Segmentation(SegmentationMask mask) implements TaskOutput {}

  /**
   * The most probable classes, best first.
   *
   * @param top the classes with their probabilities
   */
  record Classes(List<ClassProbability> top) implements TaskOutput {
    public Classes {
      top = List.copyOf(top);
    }
  }
}
