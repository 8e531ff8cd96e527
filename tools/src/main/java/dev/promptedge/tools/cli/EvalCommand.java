package dev.promptedge.tools.cli;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.eval.EvalOptions;
import dev.promptedge.tools.eval.EvalRequest;
import dev.promptedge.tools.eval.EvalWorkflow;
import dev.promptedge.tools.train.PromptSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge eval}: a bundle's metrics on a dataset split, through the runtime. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a bundle on a dataset split exactly as the device runs it: the backbone (int8 with"
          + " --quantized) and the bundle go into the runtime's TaskEngine (the bundle's self-test"
          + " runs), images go through TaskEngine.infer in batches, and the post-processed results"
          + " are compared with the ground truth. Dataset labels are matched to the bundle's by"
          + " name.",
      "Detection: COCO box mAP@0.5 and mAP@[.5:.95] (101-point, pycocotools' matching). COCO"
          + " ranks every box, so eval installs the bundle with --score-threshold (default 0.001)"
          + " and --max-detections (default 100) instead of the bundle's own; map50_deployed and"
          + " map_deployed score the boxes at the bundle's threshold, what the device reports."
          + " Segmentation: mIoU, pixel accuracy (mask value 255 ignored). Classification: top-1,"
          + " top-5.",
      "",
      "Writes to --out: results.json (detection, COCO results format), metrics.json, report.md"
          + " and images/NNNN.png (predictions drawn over the first --images images).",
      "",
      "Example: promptedge eval --bundle shapes.bundle --backbone models/demo.card.textproto"
          + " --quantized --data data/scenes/detection --out eval/shapes",
      ""
    })
final class EvalCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "Bundle file.")
  Path bundleFile;

  @Option(
      names = "--backbone",
      required = true,
      paramLabel = "CARD",
      description = "Backbone card (.card.textproto) the bundle is for.")
  Path backbone;

  @Option(names = "--quantized", description = "Run the card's int8 backbone file.")
  boolean quantized;

  @CommandLine.Mixin EngineOption engine;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Dataset folder in the bundle task's layout (see promptedge data generate).")
  Path data;

  @Option(
      names = "--split",
      defaultValue = "val",
      description = "Split to evaluate: train or val (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--split-seed",
      defaultValue = "0",
      description = "Seed of the split rule for a folder without train/ and val/ (default: 0).")
  long splitSeed;

  @Option(
      names = "--val-fraction",
      defaultValue = "0.2",
      description = "Val share for a folder without train/ and val/ (default: 0.2).")
  double valFraction;

  @Option(names = "--out", paramLabel = "DIR", description = "Folder for the result files.")
  Path out;

  @Option(
      names = "--limit",
      defaultValue = "0",
      paramLabel = "N",
      description = "Evaluate the first N images only (default: all).")
  int limit;

  @CommandLine.Mixin ThreadsOption threads = ThreadsOption.allCores();

  @Option(
      names = "--batch",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images per inference call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--images",
      defaultValue = "8",
      paramLabel = "N",
      description = "Images drawn into the report (default: ${DEFAULT-VALUE}).")
  int images;

  @Option(
      names = "--score-threshold",
      defaultValue = "0.001",
      description = "Detection: score threshold for mAP (default: ${DEFAULT-VALUE}).")
  float scoreThreshold;

  @Option(
      names = "--max-detections",
      defaultValue = "100",
      description = "Detection: most boxes per image for mAP (default: ${DEFAULT-VALUE}).")
  int maxDetections;

  @Override
  public Integer call() throws Exception {
    Split which = parseSplit();
    CardFile card = CardFile.read(backbone);
    Bundle bundle = new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(bundleFile));
    EvalOptions options;
    try {
      options = new EvalOptions(batch, limit, scoreThreshold, maxDetections);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    EvalWorkflow.run(
        new EvalRequest(
            card,
            quantized,
            engine.apply(new InterpreterConfig(threads.value(), true, Optional.empty())),
            bundleFile,
            bundle,
            PromptSelection.learned(card, BundleInputs.prompts(bundle.bundle())).cliName(),
            data,
            which,
            new SplitRule(splitSeed, valFraction),
            options,
            Optional.ofNullable(out),
            images),
        spec.commandLine().getOut());
    return 0;
  }

  private Split parseSplit() {
    return switch (split) {
      case "train" -> Split.TRAIN;
      case "val" -> Split.VAL;
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--split takes train or val, got '" + split + "'");
    };
  }
}
