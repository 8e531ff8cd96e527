package dev.promptedge.tools.eval;

import java.util.List;
import java.util.Map;

/**
 * What an evaluation measured for one task kind: {@link DetectionMetrics}, {@link
 * SegmentationMetrics} or {@link ClassificationMetrics}. Immutable values.
 */
public sealed interface EvalMetrics
    permits DetectionMetrics, SegmentationMetrics, ClassificationMetrics {

  /** Name of the metric a trainer keeps the best bundle by: map, miou or top1. */
  String primaryName();

  /** The value of {@link #primaryName()}, in 0..1 (NaN when nothing could be measured). */
  double primary();

  /**
   * The headline numbers by name, in display order, as stored in a bundle's {@code metrics}: map50
   * and map, miou and pixel_accuracy, or top1 and top5.
   */
  Map<String, Double> summary();

  /** Column names of {@link #perClassRows()}. */
  List<String> perClassHeader();

  /** One row of formatted cells per class, in label order. */
  List<List<String>> perClassRows();
}
