package dev.promptedge.tools.train;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.DetectionDecoder;
import dev.promptedge.runtime.head.SegmentationDecoder;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SegmentationSample;
import dev.promptedge.tools.eval.CocoDetectionEval;
import dev.promptedge.tools.eval.ConfusionMatrix;
import dev.promptedge.tools.eval.EvalMetrics;
import dev.promptedge.tools.eval.GtBox;
import dev.promptedge.tools.eval.ScoredBox;
import dev.promptedge.tools.eval.TopKCounter;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-epoch validation with the metrics of {@code promptedge eval} — COCO mAP@[.5:.95] (all
 * detections down to score 0.001, at most 100 per image, as eval scores them), mIoU, top-1 — on
 * head outputs decoded by the runtime's own decoders. A metric with nothing to measure scores 0.
 * Stateless.
 */
public final class MetricValidators {

  /** Score threshold detections are decoded at for mAP, as {@code promptedge eval} does. */
  static final float MAP_SCORE_THRESHOLD = 0.001f;

  /** Most detections per image for mAP, as COCO counts them. */
  static final int MAP_MAX_DETECTIONS = 100;

  private MetricValidators() {}

  /** The validator of {@code task} for a head over {@code grid} cells of {@code patch}. */
  public static Validator of(
      TaskKind task, List<String> labels, PostProcessing post, FeatureMap feature) {
    return of(task, labels, post, feature.height(), feature.width(), feature.stride());
  }

  /** The validator of {@code task} on a {@code gridHeight} × {@code gridWidth} grid of cells. */
  public static Validator of(
      TaskKind task,
      List<String> labels,
      PostProcessing post,
      int gridHeight,
      int gridWidth,
      int patch) {
    return switch (task) {
      case DETECTION ->
          detection(
              new DetectionDecoder(
                  gridHeight,
                  gridWidth,
                  patch,
                  labels,
                  MAP_SCORE_THRESHOLD,
                  post.getDetection().getIouThreshold(),
                  MAP_MAX_DETECTIONS),
              labels);
      case SEGMENTATION ->
          segmentation(
              SegmentationDecoder.fromParams(
                  post.getSegmentation(), labels, gridHeight, gridWidth, patch),
              labels);
      case CLASSIFICATION -> classification(labels);
      default -> throw new IllegalArgumentException("no validator for task " + task);
    };
  }

  private static double scoreOf(EvalMetrics metrics) {
    double value = metrics.primary();
    return Double.isNaN(value) ? 0 : value;
  }

  private static Validator detection(DetectionDecoder decoder, List<String> labels) {
    return new Validator() {
      @Override
      public String metric() {
        return "map";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        CocoDetectionEval coco = new CocoDetectionEval(labels);
        for (int i = 0; i < samples.size(); i++) {
          List<GtBox> gt = new ArrayList<>();
          for (Instance instance : ((DetectionSample) samples.get(i)).instances()) {
            gt.add(new GtBox(instance.classIndex(), instance.box(), instance.crowd()));
          }
          List<ScoredBox> dt = new ArrayList<>();
          for (Detection d : decoder.decode(out.get(i), lbs.get(i))) {
            dt.add(ScoredBox.of(d));
          }
          coco.add(i, gt, dt);
        }
        return scoreOf(coco.result());
      }
    };
  }

  private static Validator segmentation(SegmentationDecoder decoder, List<String> labels) {
    return new Validator() {
      @Override
      public String metric() {
        return "miou";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        ConfusionMatrix confusion = new ConfusionMatrix(labels);
        for (int i = 0; i < samples.size(); i++) {
          ClassMask truth = ((SegmentationSample) samples.get(i)).mask();
          SegmentationMask predicted = decoder.decode(out.get(i), lbs.get(i));
          for (int y = 0; y < truth.height(); y++) {
            for (int x = 0; x < truth.width(); x++) {
              confusion.add(truth.classAt(x, y), predicted.classAt(x, y));
            }
          }
        }
        return scoreOf(confusion.result());
      }
    };
  }

  private static Validator classification(List<String> labels) {
    return new Validator() {
      @Override
      public String metric() {
        return "top1";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        TopKCounter accuracy = new TopKCounter(labels);
        for (int i = 0; i < samples.size(); i++) {
          accuracy.addLogits(((ClassificationSample) samples.get(i)).classIndex(), out.get(i));
        }
        return scoreOf(accuracy.result());
      }
    };
  }
}
