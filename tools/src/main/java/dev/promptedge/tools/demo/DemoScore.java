package dev.promptedge.tools.demo;

import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.eval.ScoreThreshold;
import java.util.Locale;

/** Compares the demo's results with the scenes' truth, per scene and in total. Not thread-safe. */
final class DemoScore {

  /** What counts as finding a true object: a box of its class overlapping it this much. */
  static final float FOUND_IOU = 0.5f;

  private int scenes;
  private int found;
  private int objects;
  private long rightPixels;
  private long backgroundPixels;
  private long countedPixels;

  /** How many true objects {@code output} found, one box per object, counted into the total. */
  String detections(TaskOutput.Detections output, DetectionSample truth) {
    scenes++;
    int hits = ScoreThreshold.found(ScoreThreshold.Image.of(truth, output.boxes()), FOUND_IOU);
    found += hits;
    objects += truth.instances().size();
    return String.format(
        Locale.ROOT,
        "found %d of %d true objects (one box each, same class, IoU >= %.1f)",
        hits,
        truth.instances().size(),
        FOUND_IOU);
  }

  /** The share of pixels {@code output} got right, counted into the total. */
  String mask(TaskOutput.Segmentation output, ClassMask truth) {
    SegmentationMask predicted = output.mask();
    int background = predicted.backgroundClass();
    long right = 0;
    long counted = 0;
    for (int y = 0; y < truth.height(); y++) {
      for (int x = 0; x < truth.width(); x++) {
        int t = truth.classAt(x, y);
        if (t != ClassMask.IGNORE) {
          counted++;
          right += predicted.classAt(x, y) == t ? 1 : 0;
          backgroundPixels += t == background ? 1 : 0;
        }
      }
    }
    rightPixels += right;
    countedPixels += counted;
    return String.format(
        Locale.ROOT, "pixel accuracy %.3f against the true mask", (double) right / counted);
  }

  /** The totals, beside what calling every pixel background would score. */
  String summary(String detector, String segmenter) {
    return String.format(
        Locale.ROOT,
        "over %d scenes: %s found %d of %d true objects; %s got %.3f of the pixels right"
            + " (calling every pixel background: %.3f)",
        scenes,
        detector,
        found,
        objects,
        segmenter,
        (double) rightPixels / countedPixels,
        (double) backgroundPixels / countedPixels);
  }
}
