package dev.promptedge.tools.eval;

import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.json.JsonWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an evaluation's files into one folder: {@code results.json} (detection: COCO results,
 * {@code [{image_id, category_id, bbox [x, y, w, h], score}]} at the evaluation's threshold),
 * {@code metrics.json} (see {@link MetricsJson}), {@code report.md} (the metrics tables and the
 * drawn images) and {@code images/NNNN.png} for the first images. Listens to the evaluation for the
 * per-image parts, then {@link #finish} writes the rest. Not thread-safe; one per evaluation.
 */
public final class ReportWriter implements EvalListener {

  /** What the report says about the run besides the metrics. */
  public record RunInfo(
      Map<String, Object> details,
      long[] categoryIds,
      List<String> datasetLabels,
      float drawThreshold,
      int backgroundClass) {}

  private final Path out;
  private final int imagesToDraw;
  private final RunInfo info;
  private final List<Object> results = new ArrayList<>();
  private final List<String> drawn = new ArrayList<>();

  /**
   * A writer into {@code out} (created) drawing the first {@code imagesToDraw} images. {@code
   * categoryIds[c]} is the COCO category id of bundle class {@code c} (detection only).
   */
  public ReportWriter(Path out, int imagesToDraw, RunInfo info) {
    this.out = out;
    this.imagesToDraw = imagesToDraw;
    this.info = info;
    try {
      Files.createDirectories(out.resolve("images"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the report folder " + out + ": " + e, e);
    }
  }

  @Override
  public void onImage(ImageResult image) {
    if (image.result().output() instanceof TaskOutput.Detections d
        && image.sample() instanceof DetectionSample s) {
      for (Detection det : d.boxes()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_id", s.imageId());
        r.put("category_id", info.categoryIds()[det.classId()]);
        r.put(
            "bbox",
            List.of(
                round(det.box().xMin()),
                round(det.box().yMin()),
                round(det.box().width()),
                round(det.box().height())));
        r.put("score", round5(det.score()));
        results.add(r);
      }
    }
    if (drawn.size() < imagesToDraw) {
      String truth =
          image.sample() instanceof ClassificationSample c
              ? info.datasetLabels().get(c.classIndex())
              : "";
      BufferedImage img = Overlay.draw(image, info.drawThreshold(), info.backgroundClass(), truth);
      String name = String.format(Locale.ROOT, "images/%04d.png", image.index());
      write(out.resolve(name), PngBytes.encode(img));
      drawn.add(name + "\t" + image.sample().id());
    }
  }

  private static double round(float v) {
    return Math.round(v * 100.0) / 100.0;
  }

  private static double round5(float v) {
    return Math.round(v * 100000.0) / 100000.0;
  }

  /** Writes results (detection), metrics and report for the finished {@code evaluation}. */
  public void finish(Evaluation evaluation) {
    if (evaluation.metrics() instanceof DetectionMetrics) {
      write(out.resolve("results.json"), JsonWriter.write(results) + "\n");
    }
    write(
        out.resolve("metrics.json"), JsonWriter.write(MetricsJson.of(evaluation, info.details())));
    write(out.resolve("report.md"), markdown(evaluation));
  }

  private String markdown(Evaluation e) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Evaluation of ").append(e.bundleName()).append(" v").append(e.bundleVersion());
    sb.append("\n\n");
    for (Map.Entry<String, Object> d : info.details().entrySet()) {
      sb.append("- ").append(d.getKey()).append(": ").append(d.getValue()).append('\n');
    }
    sb.append(String.format(Locale.ROOT, "- images: %d in %.1f s%n%n", e.images(), e.seconds()));
    sb.append(MetricsTable.of(e.metrics()));
    e.deployed()
        .ifPresent(
            d ->
                sb.append("\nAt the bundle's own score threshold (what the device reports):\n\n")
                    .append(
                        MetricsTable.table(
                            List.of("metric", "value"),
                            List.of(
                                List.of("map50_deployed", MetricsTable.number(d.map50())),
                                List.of("map_deployed", MetricsTable.number(d.map()))))));
    if (!drawn.isEmpty()) {
      sb.append("\n## Images\n\n");
      if (e.metrics() instanceof DetectionMetrics) {
        sb.append(
            String.format(
                Locale.ROOT,
                "Boxes scoring at least %s (the bundle's threshold); ground truth in thin white.%n%n",
                info.drawThreshold()));
      }
      for (String d : drawn) {
        String[] parts = d.split("\t", 2);
        sb.append("![").append(parts[1]).append("](").append(parts[0]).append(")\n");
      }
    }
    return sb.toString();
  }

  private static void write(Path file, String text) {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] bytes) {
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e, e);
    }
  }
}
