package dev.promptedge.tools.eval;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SampleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code promptedge eval}: runs a bundle over a dataset split through the runtime's inference path,
 * prints the metrics table and, with an output folder, writes the report files. Stateless; progress
 * goes to the caller's log.
 */
public final class EvalWorkflow {

  private EvalWorkflow() {}

  /** Runs {@code request}, printing progress and the metrics to {@code log}. */
  public static Evaluation run(EvalRequest request, PrintWriter log) throws IOException {
    PromptBundle b = request.bundle().bundle();
    Path data = request.data();
    SampleSet<? extends Sample> dataset =
        EvalData.open(b.getTask(), data, request.split(), request.rule());
    Map<String, Object> details = details(request);
    ReportWriter report =
        request.out().isEmpty()
            ? null
            : new ReportWriter(
                request.out().get(),
                request.drawn(),
                new ReportWriter.RunInfo(
                    details,
                    b.getTask() == TaskKind.DETECTION
                        ? EvalData.categoryIds(b.getLabelsList(), dataset, data, request.split())
                        : new long[0],
                    dataset.labels(),
                    b.getPostProcessing().getDetection().getScoreThreshold(),
                    b.getTask() == TaskKind.SEGMENTATION
                        ? b.getPostProcessing().getSegmentation().getBackgroundClass()
                        : -1));
    EvalListener listener =
        new EvalListener() {
          @Override
          public void onImage(ImageResult image) {
            if (report != null) {
              report.onImage(image);
            }
          }

          private int lastTenth = -1;

          @Override
          public void onProgress(int done, int total) {
            int tenth = done * 10 / Math.max(1, total);
            if (tenth != lastTenth || done == total) {
              lastTenth = tenth;
              log.printf(Locale.ROOT, "eval: %d/%d images%n", done, total);
              log.flush();
            }
          }
        };
    Evaluation evaluation;
    try (BundleEvaluator evaluator =
        BundleEvaluator.open(request.card(), request.quantized(), request.config())) {
      evaluation = evaluator.evaluate(request.bundle(), dataset, request.options(), listener);
    }
    if (report != null) {
      report.finish(evaluation);
    }
    printSummary(request, evaluation, log);
    return evaluation;
  }

  /** What the report records about the run. */
  private static Map<String, Object> details(EvalRequest request) throws IOException {
    CardFile card = request.card();
    PromptBundle b = request.bundle().bundle();
    boolean quantized = request.quantized();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("bundle_file", request.bundleFile().toAbsolutePath().normalize().toString());
    details.put("backbone", card.card().getName() + (quantized ? " (int8)" : " (float)"));
    details.put("backbone_bytes", Files.size(card.modelPath(quantized)));
    details.put("quantized", quantized);
    details.put("engine", request.config().engine().label());
    details.put("prompts", request.prompts());
    details.put("data", request.data().toString());
    details.put("split", request.split().dirName());
    if (b.getTask() == TaskKind.DETECTION) {
      details.put("score_threshold", (double) request.options().scoreThreshold());
      details.put("max_detections", request.options().maxDetections());
      details.put(
          "deployed_score_threshold",
          (double) b.getPostProcessing().getDetection().getScoreThreshold());
    }
    return details;
  }

  private static void printSummary(EvalRequest request, Evaluation evaluation, PrintWriter log) {
    PromptBundle b = request.bundle().bundle();
    log.printf(
        Locale.ROOT,
        "%s v%d (%s) on %s %s, %d images, %s backbone, %.1f s%n%n",
        evaluation.bundleName(),
        evaluation.bundleVersion(),
        evaluation.task().name().toLowerCase(Locale.ROOT),
        request.data(),
        request.split().dirName(),
        evaluation.images(),
        (request.quantized() ? "int8" : "float") + " " + request.config().engine().label(),
        evaluation.seconds());
    log.print(MetricsTable.of(evaluation.metrics()));
    evaluation
        .deployed()
        .ifPresent(
            d ->
                log.printf(
                    Locale.ROOT,
                    "%nat the bundle's score threshold %s: map50 %s, map %s%n",
                    b.getPostProcessing().getDetection().getScoreThreshold(),
                    MetricsTable.number(d.map50()),
                    MetricsTable.number(d.map())));
    request.out().ifPresent(out -> log.printf("%nwrote %s%n", out.resolve("report.md")));
  }
}
