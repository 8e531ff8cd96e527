package dev.promptedge.tools.eval;

import dev.promptedge.tools.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code metrics.json} of an evaluation: {@code bundle} {name, version, task}, {@code
 * backbone_file_sha256}, {@code images}, {@code seconds}, the run's {@code details} (data, split,
 * thresholds, ...), {@code metrics} (the summary by name, e.g. map50, map, map50_deployed,
 * map_deployed; miou, pixel_accuracy; top1, top5) and {@code per_class} (one object per class). A
 * value that could not be measured (NaN) is {@code null}. Stateless.
 */
final class MetricsJson {

  private MetricsJson() {}

  static Map<String, Object> of(Evaluation e, Map<String, Object> details) {
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> bundle = new LinkedHashMap<>();
    bundle.put("name", e.bundleName());
    bundle.put("version", e.bundleVersion());
    bundle.put("task", e.task().name().toLowerCase(java.util.Locale.ROOT));
    root.put("bundle", bundle);
    root.put("backbone_file_sha256", e.backboneFileSha256());
    root.put("images", e.images());
    root.put("seconds", Math.round(e.seconds() * 1000) / 1000.0);
    root.put("details", details);
    Map<String, Object> metrics = new LinkedHashMap<>();
    e.summary().forEach((k, v) -> metrics.put(k, value(v)));
    root.put("metrics", metrics);
    root.put("per_class", perClass(e.metrics()));
    return root;
  }

  static Object value(double v) {
    return Double.isFinite(v) ? v : Json.NULL;
  }

  private static List<Object> perClass(EvalMetrics m) {
    List<Object> rows = new ArrayList<>();
    if (m instanceof DetectionMetrics d) {
      for (DetectionMetrics.ClassAp c : d.perClass()) {
        rows.add(
            row(
                "label",
                c.label(),
                "objects",
                c.groundTruth(),
                "ap50",
                value(c.ap50()),
                "ap",
                value(c.ap())));
      }
    } else if (m instanceof SegmentationMetrics s) {
      for (SegmentationMetrics.ClassIou c : s.perClass()) {
        rows.add(
            row(
                "label",
                c.label(),
                "true_pixels",
                c.truthPixels(),
                "predicted_pixels",
                c.predictedPixels(),
                "iou",
                value(c.iou())));
      }
    } else if (m instanceof ClassificationMetrics c) {
      for (ClassificationMetrics.ClassAccuracy a : c.perClass()) {
        rows.add(row("label", a.label(), "images", a.images(), "top1", value(a.top1())));
      }
    }
    return rows;
  }

  private static Map<String, Object> row(Object... keyValues) {
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      row.put((String) keyValues[i], keyValues[i + 1]);
    }
    return row;
  }
}
