package dev.promptedge.tools.cli;

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
import dev.promptedge.tools.train.Pretrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge backbone pretrain}: the demo ViT from random weights, on generated scenes. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = {
      "Pretrain the demo ViT (64x64, patch 8, D 96, depth 4, 3 heads, MLP x4, P 8) from seeded"
          + " random weights on generated segmentation scenes with two objectives: per-patch"
          + " classification (cross-entropy of each patch token against the class covering most"
          + " of its cell, background included) plus multi-label scene classification (BCE of"
          + " the mean-pooled tokens: which classes appear). Every weight learns (Adam, warm-up"
          + " then cosine decay, gradient norm clipped at 1); the prompt input is N(0, 0.02²)"
          + " noise.",
      "Writes DIR/demo-vit.tflite (shallow VPT, L = 1) and DIR/demo-vit-deep.tflite (deep VPT,"
          + " L = depth) with the SAME trained weights, each with its card; quantize each with"
          + " 'promptedge backbone quantize --mode int8'.",
      "",
      "Example: promptedge data generate --out scenes --seed 1 --count 4000 --val-count 500 &&"
          + " promptedge backbone pretrain --data scenes/segmentation --out models/demo --minutes 25"
    })
final class BackbonePretrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Segmentation scenes with train/ and val/ (OUT/segmentation of data generate).")
  Path data;

  @CommandLine.Mixin OutDirOption out;

  @Option(
      names = "--minutes",
      defaultValue = "25",
      description = "Time budget of the training loop (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(
      names = "--steps",
      defaultValue = "0",
      description =
          "Exact optimizer steps instead of a time budget (a run's card records its steps, so"
              + " --steps reproduces it).")
  long steps;

  @Option(names = "--batch", defaultValue = "32", description = "Images per step (default: 32).")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.001",
      description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @CommandLine.Mixin SeedOption seed = new SeedOption(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    Splits<SegmentationSample> splits = Datasets.segmentation(data, SplitRule.DEFAULT);
    Pretrainer.Result r =
        Pretrainer.pretrain(
            VitSpec.demo(false),
            seed.value(),
            splits.train(),
            splits.val(),
            batch,
            lr,
            steps,
            minutes * 60,
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
            batch,
            lr,
            seed.value(),
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
    Files.createDirectories(out.value());
    for (boolean deep : new boolean[] {false, true}) {
      VitSpec vit = VitSpec.demo(deep);
      Provenance provenance =
          Provenances.of(spec, seed.value(), "generated scenes: " + recipeText).toBuilder()
              .setDataSha256(
                  recipe != null && Files.isRegularFile(recipe)
                      ? Sha256.hex(Files.readAllBytes(recipe))
                      : "")
              .build();
      CardFile base =
          BackboneFiles.write(out.value(), vit, VitWeights.random(vit, seed.value()), provenance);
      byte[] model = Pretrainer.model(vit, seed.value(), r.constants());
      CardFile card = GraphWriteBack.writeBackbone(out.value(), vit.name(), base, model, summary);
      log.printf(
          "wrote %s (%d bytes) and %s%n",
          card.modelPath(false), card.card().getFloatModel().getSizeBytes(), card.path());
    }
    return 0;
  }
}
