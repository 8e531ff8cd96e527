package dev.promptedge.tools.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Semantic segmentation metrics of one evaluation, from a {@link ConfusionMatrix}. Immutable value.
 *
 * @param miou mean IoU over the classes present in the ground truth or the prediction, NaN when no
 *     pixel was counted
 * @param pixelAccuracy correctly classified pixels over counted pixels, NaN when none were counted
 * @param perClass IoU per class in label order; NaN for a class absent from both
 * @param pixels pixels counted (ignored ones excluded)
 */
public record SegmentationMetrics(
    double miou, double pixelAccuracy, List<ClassIou> perClass, long pixels)
    implements EvalMetrics {

  /** Copies the list. */
  public SegmentationMetrics {
    perClass = List.copyOf(perClass);
  }

  /**
   * IoU of one class.
   *
   * @param label the class name
   * @param truthPixels counted pixels whose true class this is
   * @param predictedPixels counted pixels predicted as this class
   * @param iou {@code TP / (TP + FP + FN)}, NaN when both counts are 0
   */
  public record ClassIou(String label, long truthPixels, long predictedPixels, double iou) {}

  @Override
  public String primaryName() {
    return "miou";
  }

  @Override
  public double primary() {
    return miou;
  }

  @Override
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("miou", miou);
    m.put("pixel_accuracy", pixelAccuracy);
    return m;
  }

  @Override
  public List<String> perClassHeader() {
    return List.of("class", "true px", "predicted px", "IoU");
  }

  @Override
  public List<List<String>> perClassRows() {
    return perClass.stream()
        .map(
            c ->
                List.of(
                    c.label(),
                    Long.toString(c.truthPixels()),
                    Long.toString(c.predictedPixels()),
                    MetricsTable.number(c.iou())))
        .toList();
  }
}
