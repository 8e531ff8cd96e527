package dev.promptedge.tools.demo;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.DetectionSample;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The demo's printed descriptions of bundles, true boxes and task outputs. */
final class DemoLines {

  private DemoLines() {}

  /** Name, version, task, size against the backbone's, trained values and validation metrics. */
  static String bundle(Bundle bundle, long backboneBytes) {
    PromptBundle b = bundle.bundle();
    StringBuilder metrics = new StringBuilder();
    b.getMetricsMap().entrySet().stream()
        .filter(e -> e.getKey().startsWith("val_") && !e.getKey().equals("val_loss"))
        .forEach(
            e ->
                metrics.append(
                    String.format(
                        Locale.ROOT, "; %s %.3f", e.getKey().replace('_', ' '), e.getValue())));
    return String.format(
        Locale.ROOT,
        "bundle    %s v%d (%s): %,d bytes = %.1f%% of the backbone, %,d trained values%s",
        bundle.name(),
        bundle.version(),
        b.getTask(),
        bundle.sizeBytes(),
        100.0 * bundle.sizeBytes() / backboneBytes,
        Math.round(b.getMetricsOrDefault("trainable_parameters", 0)),
        metrics);
  }

  /** The true boxes of a scene, each with its class. */
  static String truthBoxes(DetectionSample truth, List<String> labels) {
    return truth.instances().stream()
        .map(
            t ->
                String.format(
                    Locale.ROOT,
                    "%s (%.0f,%.0f)-(%.0f,%.0f)",
                    labels.get(t.classIndex()),
                    t.box().xMin(),
                    t.box().yMin(),
                    t.box().xMax(),
                    t.box().yMax()))
        .collect(Collectors.joining(", "));
  }

  /** The first boxes, the pixels per class or the top classes of {@code output}. */
  static String output(TaskOutput output) {
    if (output instanceof TaskOutput.Detections d) {
      return d.boxes().size()
          + (d.boxes().size() == 1 ? " box" : " boxes")
          + d.boxes().stream().limit(3).map(b -> " " + box(b)).collect(Collectors.joining())
          + (d.boxes().size() > 3 ? " ..." : "");
    }
    if (output instanceof TaskOutput.Segmentation s) {
      int[] counts = s.mask().classPixels();
      StringBuilder text = new StringBuilder("pixels per class");
      for (int c = 0; c < counts.length; c++) {
        if (counts[c] > 0) {
          text.append(' ').append(s.mask().labels().get(c)).append('=').append(counts[c]);
        }
      }
      return text.toString();
    }
    TaskOutput.Classes c = (TaskOutput.Classes) output;
    return c.top().stream().map(DemoLines::score).collect(Collectors.joining(", "));
  }

  private static String box(Detection d) {
    return String.format(
        "%s %.2f (%.0f,%.0f)-(%.0f,%.0f)",
        d.label(), d.score(), d.box().xMin(), d.box().yMin(), d.box().xMax(), d.box().yMax());
  }

  private static String score(ClassProbability s) {
    return String.format("%s %.2f", s.label(), s.probability());
  }
}
