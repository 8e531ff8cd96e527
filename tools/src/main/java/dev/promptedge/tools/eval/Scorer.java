package dev.promptedge.tools.eval;

import dev.promptedge.format.DetectionParams;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SegmentationSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compares the runtime's results with one task kind's ground truth. Not thread-safe. */
abstract class Scorer {

  /** Dataset class index to bundle class index. */
  final int[] labelMap;

  Scorer(int[] labelMap) {
    this.labelMap = labelMap;
  }

  abstract void add(Sample sample, InferenceResult result);

  abstract EvalMetrics result();

  Optional<DetectionMetrics> deployed() {
    return Optional.empty();
  }

  /** The scorer for {@code bundle}'s task kind, given the dataset's labels. */
  static Scorer of(PromptBundle bundle, List<String> datasetLabels) {
    List<String> labels = bundle.getLabelsList();
    int[] map = LabelMap.of(labels, datasetLabels);
    return switch (bundle.getTask()) {
      case DETECTION -> new Detections(labels, map, bundle.getPostProcessing().getDetection());
      case SEGMENTATION -> new Segmentation(labels, map);
      case CLASSIFICATION -> new Classification(labels, map);
      default ->
          throw new IllegalArgumentException("cannot evaluate task kind " + bundle.getTask());
    };
  }

  static IllegalArgumentException wrongSample(Sample sample, String expected) {
    return new IllegalArgumentException(
        "sample "
            + sample.id()
            + " is a "
            + sample.getClass().getSimpleName()
            + "; a "
            + expected
            + " bundle is evaluated on "
            + expected
            + " data");
  }

  /** COCO mAP at the evaluation threshold, and at the bundle's own threshold by filtering. */
  static final class Detections extends Scorer {
    private final CocoDetectionEval all;
    private final CocoDetectionEval deployed;
    private final DetectionParams params;

    Detections(List<String> labels, int[] map, DetectionParams params) {
      super(map);
      this.all = new CocoDetectionEval(labels);
      this.deployed = new CocoDetectionEval(labels);
      this.params = params;
    }

    @Override
    void add(Sample sample, InferenceResult result) {
      if (!(sample instanceof DetectionSample d)) {
        throw wrongSample(sample, "detection");
      }
      List<GtBox> gt = new ArrayList<>();
      for (Instance i : d.instances()) {
        gt.add(new GtBox(labelMap[i.classIndex()], i.box(), i.crowd()));
      }
      List<ScoredBox> dt = new ArrayList<>();
      List<ScoredBox> kept = new ArrayList<>();
      for (Detection det : ((TaskOutput.Detections) result.output()).boxes()) {
        ScoredBox box = ScoredBox.of(det);
        dt.add(box);
        if (det.score() >= params.getScoreThreshold()
            && Integer.toUnsignedLong(params.getMaxDetections()) > kept.size()) {
          kept.add(box);
        }
      }
      all.add(d.imageId(), gt, dt);
      deployed.add(d.imageId(), gt, kept);
    }

    @Override
    EvalMetrics result() {
      return all.result();
    }

    @Override
    Optional<DetectionMetrics> deployed() {
      return Optional.of(deployed.result());
    }
  }

  /** Pixels of the original-size mask against the dataset's class mask. */
  static final class Segmentation extends Scorer {
    private final ConfusionMatrix matrix;

    Segmentation(List<String> labels, int[] map) {
      super(map);
      this.matrix = new ConfusionMatrix(labels);
    }

    @Override
    void add(Sample sample, InferenceResult result) {
      if (!(sample instanceof SegmentationSample s)) {
        throw wrongSample(sample, "segmentation");
      }
      SegmentationMask predicted = ((TaskOutput.Segmentation) result.output()).mask();
      byte[] truth = s.mask().classes();
      int width = s.mask().width();
      for (int p = 0; p < truth.length; p++) {
        int t = truth[p] & 0xFF;
        if (t == ConfusionMatrix.IGNORE) {
          continue;
        }
        if (t >= labelMap.length) {
          throw new IllegalArgumentException(
              "mask of sample "
                  + s.id()
                  + " has class "
                  + t
                  + " at pixel "
                  + p
                  + " but the dataset has "
                  + labelMap.length
                  + " labels");
        }
        matrix.add(labelMap[t], predicted.classAt(p % width, p / width));
      }
    }

    @Override
    EvalMetrics result() {
      return matrix.result();
    }
  }

  /** Top-1 and top-5 from the head's logits, ranked by the runtime's decoder. */
  static final class Classification extends Scorer {
    private final TopKCounter accuracy;

    Classification(List<String> labels, int[] map) {
      super(map);
      this.accuracy = new TopKCounter(labels);
    }

    @Override
    void add(Sample sample, InferenceResult result) {
      if (!(sample instanceof ClassificationSample c)) {
        throw wrongSample(sample, "classification");
      }
      accuracy.addLogits(labelMap[c.classIndex()], result.headOutput());
    }

    @Override
    EvalMetrics result() {
      return accuracy.result();
    }
  }
}
