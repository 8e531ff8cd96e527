package dev.promptedge.tools.train;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.SegmentationSample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code promptedge backbone pretrain}: pretrains the demo ViT with {@link Pretrainer} on generated
 * segmentation scenes and writes its shallow and deep graphs, with the same trained constants, as
 * two backbones whose cards record the run and the scenes' recipe. Stateless; progress goes to the
 * caller's log.
 */
public final class PretrainWorkflow {

  private PretrainWorkflow() {}

  /** Runs {@code request}, printing progress and the summary to {@code log}. */
  public static void run(PretrainRequest request, PrintWriter log) throws IOException {
    Path data = request.data();
    Path out = request.out();
    long seed = request.seed();
    Splits<SegmentationSample> splits = Datasets.segmentation(data, SplitRule.DEFAULT);
    Pretrainer.Result r =
        Pretrainer.pretrain(
            VitSpec.demo(false),
            seed,
            splits.train(),
            splits.val(),
            request.batch(),
            request.learningRate(),
            request.steps(),
            request.minutes() * 60,
            log);
    Path recipe = data.getParent() == null ? null : data.getParent().resolve("recipe.json");
    String recipeText =
        recipe != null && Files.isRegularFile(recipe)
            ? Files.readString(recipe).replaceAll("\\s+", " ").trim()
            : "no recipe.json beside " + data;
    String summary =
        String.format(
            Locale.ROOT,
            "pretrained %d steps (batch %d, lr %s, seed %d; reproduce with --steps %d) in %.0f s:"
                + " train loss %.4f; val per-cell cross-entropy %.4f, per-cell accuracy %.4f"
                + " (prior %.4f); val scene BCE %.4f, per-label accuracy %.4f (prior %.4f),"
                + " exact-set match %.4f. Objective: per-patch classification (each 8x8 cell's"
                + " majority class of the segmentation mask, background included; softmax"
                + " cross-entropy on every patch token) plus multi-label scene classification"
                + " (which classes appear; BCE on the mean-pooled tokens), on the train split"
                + " only. Chosen because the demo tasks are dense: detection and segmentation"
                + " heads read each patch token, so every token must say what covers its cell;"
                + " the per-patch loss gives 64 labels per image instead of 11, and the scene"
                + " loss adds context. Both need no labels beyond the scenes' own.",
            r.steps(),
            request.batch(),
            request.learningRate(),
            seed,
            r.steps(),
            r.seconds(),
            r.finalTrainLoss(),
            r.valCellLoss(),
            r.valCellAccuracy(),
            r.priorCellAccuracy(),
            r.valLoss(),
            r.valAccuracy(),
            r.priorAccuracy(),
            r.valExactMatch());
    log.println(summary);
    Files.createDirectories(out);
    for (boolean deep : new boolean[] {false, true}) {
      VitSpec vit = VitSpec.demo(deep);
      Provenance provenance =
          request.provenance().toBuilder()
              .setData("generated scenes: " + recipeText)
              .setCreatedEpochSeconds(Instant.now().getEpochSecond())
              .setDataSha256(
                  recipe != null && Files.isRegularFile(recipe)
                      ? Sha256.hex(Files.readAllBytes(recipe))
                      : "")
              .build();
      CardFile base = BackboneFiles.write(out, vit, VitWeights.random(vit, seed), provenance);
      byte[] model = Pretrainer.model(vit, seed, r.constants());
      CardFile card = GraphWriteBack.writeBackbone(out, vit.name(), base, model, summary);
      log.printf(
          "wrote %s (%d bytes) and %s%n",
          card.modelPath(false), card.card().getFloatModel().getSizeBytes(), card.path());
    }
  }
}
