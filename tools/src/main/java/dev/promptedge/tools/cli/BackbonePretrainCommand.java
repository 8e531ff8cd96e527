package dev.promptedge.tools.cli;

import dev.promptedge.tools.train.PretrainRequest;
import dev.promptedge.tools.train.PretrainWorkflow;
import java.nio.file.Path;
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
    PretrainWorkflow.run(
        new PretrainRequest(
            data,
            out.value(),
            seed.value(),
            batch,
            lr,
            steps,
            minutes,
            Provenances.of(spec, seed.value(), "")),
        spec.commandLine().getOut());
    return 0;
  }
}
