package dev.promptedge.tools.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification accuracy of one evaluation. Immutable value.
 *
 * @param top1 share of images whose best class is the true one, NaN without images
 * @param top5 share of images whose true class is among the five best, NaN without images
 * @param perClass top-1 accuracy (recall) per true class, in label order
 * @param images images counted
 */
public record ClassificationMetrics(
    double top1, double top5, List<ClassAccuracy> perClass, long images) implements EvalMetrics {

  /** Copies the list. */
  public ClassificationMetrics {
    perClass = List.copyOf(perClass);
  }

  /**
   * Top-1 accuracy of the images of one true class.
   *
   * @param label the class name
   * @param images images of this class
   * @param top1 their top-1 accuracy, NaN when there are none
   */
  public record ClassAccuracy(String label, long images, double top1) {}

  @Override
  public String primaryName() {
    return "top1";
  }

  @Override
  public double primary() {
    return top1;
  }

  @Override
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("top1", top1);
    m.put("top5", top5);
    return m;
  }

  @Override
  public List<String> perClassHeader() {
    return List.of("class", "images", "top-1");
  }

  @Override
  public List<List<String>> perClassRows() {
    return perClass.stream()
        .map(c -> List.of(c.label(), Long.toString(c.images()), MetricsTable.number(c.top1())))
        .toList();
  }
}
