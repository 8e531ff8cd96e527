package dev.promptedge.tools.train;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.TaskKind;
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
import java.util.List;

/**
 * Minimal validation metrics that decode with the runtime's own decoders, until the evaluation
 * package's mAP/mIoU plug in through {@link Validator}: detection F1 at IoU 0.5 (greedy matching by
 * score, same class, crowd boxes ignored), segmentation mean IoU over the classes present in
 * prediction or truth (pixels labelled 255 ignored), classification top-1 accuracy. Stateless.
 */
public final class SimpleValidators {

  private SimpleValidators() {}

  /** The built-in validator of {@code task} for a head over {@code grid} cells of {@code patch}. */
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
              DetectionDecoder.fromParams(
                  post.getDetection(), labels, gridHeight, gridWidth, patch));
      case SEGMENTATION ->
          segmentation(
              SegmentationDecoder.fromParams(
                  post.getSegmentation(), labels, gridHeight, gridWidth, patch),
              labels.size());
      case CLASSIFICATION -> classification();
      default -> throw new IllegalArgumentException("no validator for task " + task);
    };
  }

  private static Validator detection(DetectionDecoder decoder) {
    return new Validator() {
      @Override
      public String metric() {
        return "f1@0.5";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        long truePositives = 0;
        long predicted = 0;
        long truth = 0;
        for (int i = 0; i < samples.size(); i++) {
          List<Instance> gt =
              ((DetectionSample) samples.get(i))
                  .instances().stream().filter(x -> !x.crowd()).toList();
          List<Detection> dets = decoder.decode(out.get(i), lbs.get(i));
          boolean[] used = new boolean[gt.size()];
          for (Detection d : dets) {
            int best = -1;
            float bestIou = 0.5f;
            for (int g = 0; g < gt.size(); g++) {
              if (!used[g] && gt.get(g).classIndex() == d.classId()) {
                float iou = gt.get(g).box().iou(d.box());
                if (iou >= bestIou) {
                  bestIou = iou;
                  best = g;
                }
              }
            }
            if (best >= 0) {
              used[best] = true;
              truePositives++;
            }
          }
          predicted += dets.size();
          truth += gt.size();
        }
        return predicted + truth == 0 ? 1.0 : 2.0 * truePositives / (predicted + truth);
      }
    };
  }

  private static Validator segmentation(SegmentationDecoder decoder, int classes) {
    return new Validator() {
      @Override
      public String metric() {
        return "mIoU";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        long[] intersection = new long[classes];
        long[] union = new long[classes];
        for (int i = 0; i < samples.size(); i++) {
          ClassMask truth = ((SegmentationSample) samples.get(i)).mask();
          SegmentationMask predicted = decoder.decode(out.get(i), lbs.get(i));
          for (int y = 0; y < truth.height(); y++) {
            for (int x = 0; x < truth.width(); x++) {
              int t = truth.classAt(x, y);
              if (t == ClassMask.IGNORE || t >= classes) {
                continue;
              }
              int p = predicted.classAt(x, y);
              if (p == t) {
                intersection[t]++;
                union[t]++;
              } else {
                union[t]++;
                union[p]++;
              }
            }
          }
        }
        double sum = 0;
        int present = 0;
        for (int c = 0; c < classes; c++) {
          if (union[c] > 0) {
            sum += (double) intersection[c] / union[c];
            present++;
          }
        }
        return present == 0 ? 0 : sum / present;
      }
    };
  }

  private static Validator classification() {
    return new Validator() {
      @Override
      public String metric() {
        return "top1";
      }

      @Override
      public double score(List<? extends Sample> samples, List<float[]> out, List<Letterbox> lbs) {
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
          float[] logits = out.get(i);
          int best = 0;
          for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
              best = c;
            }
          }
          if (best == ((ClassificationSample) samples.get(i)).classIndex()) {
            correct++;
          }
        }
        return samples.isEmpty() ? 0 : (double) correct / samples.size();
      }
    };
  }
}
