package dev.promptedge.tools.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO box detection metrics of one evaluation. Immutable value.
 *
 * @param map50 mean over classes of AP at IoU 0.5, NaN when no class has ground truth
 * @param map mean over classes of AP averaged over IoU 0.50:0.05:0.95 (COCO's "AP"), NaN likewise
 * @param perClass AP per class in label order; NaN for a class without regular ground truth
 * @param images images evaluated
 * @param detections detections counted (at most 100 per image and class)
 */
public record DetectionMetrics(
    double map50, double map, List<ClassAp> perClass, int images, long detections)
    implements EvalMetrics {

  /** Copies the list. */
  public DetectionMetrics {
    perClass = List.copyOf(perClass);
  }

  /**
   * AP of one class.
   *
   * @param label the class name
   * @param groundTruth regular (not crowd) objects of the class
   * @param ap50 AP at IoU 0.5, NaN without ground truth
   * @param ap AP averaged over IoU 0.50:0.95, NaN without ground truth
   */
  public record ClassAp(String label, int groundTruth, double ap50, double ap) {}

  @Override
  public String primaryName() {
    return "map";
  }

  @Override
  public double primary() {
    return map;
  }

  @Override
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("map50", map50);
    m.put("map", map);
    return m;
  }

  @Override
  public List<List<String>> perClassRows() {
    return perClass.stream()
        .map(
            c ->
                List.of(
                    c.label(),
                    Integer.toString(c.groundTruth()),
                    MetricsTable.number(c.ap50()),
                    MetricsTable.number(c.ap())))
        .toList();
  }

  @Override
  public List<String> perClassHeader() {
    return List.of("class", "objects", "AP@0.5", "AP@[.5:.95]");
  }
}
