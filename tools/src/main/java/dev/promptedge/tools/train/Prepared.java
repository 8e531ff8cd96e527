package dev.promptedge.tools.train;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.runtime.image.PreparedImage;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.data.SegmentationSample;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A split made ready for training: every image letterboxed and normalized by the runtime's {@link
 * Preprocessor} (exactly as the device does) and its targets on the patch grid. Holds all pixels in
 * memory (H·W·3 floats per image). Immutable after construction.
 */
final class Prepared {

  final List<Sample> samples;
  final float[][] pixels;
  final Letterbox[] letterboxes;
  final List<CellTargets> targets;

  private Prepared(
      List<Sample> samples, float[][] pixels, Letterbox[] letterboxes, List<CellTargets> targets) {
    this.samples = samples;
    this.pixels = pixels;
    this.letterboxes = letterboxes;
    this.targets = targets;
  }

  /** Decodes and prepares every sample of {@code data}, in parallel. */
  static Prepared of(
      SampleSet<? extends Sample> data, TaskKind task, Preprocessor pre, CellTargets.Grid grid) {
    int n = data.size();
    Sample[] samples = new Sample[n];
    float[][] pixels = new float[n][];
    Letterbox[] boxes = new Letterbox[n];
    CellTargets[] targets = new CellTargets[n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              Sample s = data.get(i);
              PreparedImage image = pre.prepare(s.image());
              samples[i] = s;
              pixels[i] = image.pixels();
              boxes[i] = image.letterbox();
              targets[i] = targets(task, s, image.letterbox(), grid);
            });
    return new Prepared(List.of(samples), pixels, boxes, List.of(targets));
  }

  static CellTargets targets(TaskKind task, Sample s, Letterbox lb, CellTargets.Grid grid) {
    return switch (task) {
      case DETECTION -> CellTargets.detection(cast(s, DetectionSample.class, task), lb, grid);
      case SEGMENTATION ->
          CellTargets.segmentation(cast(s, SegmentationSample.class, task), lb, grid);
      case CLASSIFICATION -> CellTargets.classification(cast(s, ClassificationSample.class, task));
      default -> throw new IllegalArgumentException("cannot train task kind " + task);
    };
  }

  private static <T> T cast(Sample s, Class<T> type, TaskKind task) {
    if (!type.isInstance(s)) {
      throw new IllegalArgumentException(
          "task " + task + " needs " + type.getSimpleName() + "s, the dataset has " + s);
    }
    return type.cast(s);
  }

  int size() {
    return pixels.length;
  }

  /** The pixels of samples {@code indices} as one [B, H, W, 3] array. */
  float[] batchPixels(int[] indices) {
    int each = pixels[0].length;
    float[] batch = new float[indices.length * each];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(pixels[indices[i]], 0, batch, i * each, each);
    }
    return batch;
  }

  List<CellTargets> batchTargets(int[] indices) {
    List<CellTargets> list = new ArrayList<>(indices.length);
    for (int i : indices) {
      list.add(targets.get(i));
    }
    return list;
  }
}
