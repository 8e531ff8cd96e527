package dev.promptedge.tools.importer;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.graph.TfliteGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code promptedge backbone import}: imports the source model with {@link BackboneImporter},
 * writes it and its contract v2 card, checks that the runtime opens it, and prints the parity, the
 * normalization, the operators and optionally forward timings. Stateless; the summary goes to the
 * caller's log.
 */
public final class ImportWorkflow {

  private ImportWorkflow() {}

  /**
   * Runs {@code request}, printing to {@code log}, and returns the written card.
   *
   * @throws ImportException when the normalization does not parse or the model cannot be imported
   */
  public static CardFile run(ImportRequest request, PrintWriter log) throws IOException {
    CardNormalization norm = CardNormalization.resolve(request.normalization(), request.model());
    long start = System.nanoTime();
    ImportedBackbone b = BackboneImporter.importModel(request.model(), request.options());
    Files.createDirectories(request.out());
    CardFile card =
        ImportedCard.write(
            request.out(),
            request.model(),
            b,
            new ImportedCard.Details(
                request.name(),
                request.architecture(),
                norm,
                request.license(),
                request.provenance().toBuilder()
                    .setCreatedEpochSeconds(Instant.now().getEpochSecond())
                    .build()));
    log.printf(
        "wrote %s (%d bytes) and %s in %.1f s%n",
        card.modelPath(false), b.model().length, card.path(), (System.nanoTime() - start) / 1e9);
    log.printf(
        "parity (max |diff| / max |reference|): host engine vs interpreter %.2e (tolerance %.0e),"
            + " identity prompts vs source %.2e (%.0e), converted vs TF.js %.2e (%.0e); %s%n",
        b.parity().hostVsInterpreter(),
        BackboneImporter.HOST_TOLERANCE,
        b.parity().importedVsOriginal(),
        BackboneImporter.TFLITE_TOLERANCE,
        b.parity().convertedVsTfjs(),
        BackboneImporter.TFJS_TOLERANCE,
        b.parity().note());
    try (Backbone opened = Backbone.open(card, false, InterpreterConfig.defaults())) {
      log.printf(
          "runtime: the model verifier and the interpreter accept %s (%s batch)%n",
          card.path().getFileName(), opened.dynamicBatch() ? "dynamic" : "fixed");
    }
    log.printf(
        "normalization mean %s std %s: %s%n",
        norm.normalization().getMeanList(), norm.normalization().getStdList(), norm.reason());
    Map<String, Integer> ops = new TreeMap<>();
    TfliteGraph.read(b.model(), ImportedBackbone.SIGNATURE)
        .operatorNames()
        .forEach(op -> ops.merge(op, 1, Integer::sum));
    log.printf("operators: %s%n", ops);
    if (request.timeRuns() > 0) {
      ForwardTiming t = ForwardTiming.measure(b.model(), request.timeRuns());
      log.printf(
          "forward at batch 1 (median of %d): host engine %.3f s, interpreter (1 thread) %.3f s%n",
          request.timeRuns(), t.hostSeconds(), t.interpreterSeconds());
    }
    return card;
  }
}
