package dev.promptedge.tools.cli;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SeededContents;
import dev.promptedge.tools.train.PromptSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge bundle pack}: writes a bundle for a backbone. */
@Command(
    name = "pack",
    mixinStandardHelpOptions = true,
    description = {
      "Pack a prompt bundle (format version 2) for a backbone: one tensor per prompt input of its"
          + " card, a head (.tflite with signature 'head': the feature outputs it reads ->"
          + " outputs), labels, post-processing and a self-test whose expected"
          + " outputs are computed here on every model file of the card, through the runtime's own"
          + " inference path. The bundle is checked as a device would check it before it is"
          + " written.",
      "Without --head, a linear head with seeded weights is written; the prompt is seeded too"
          + " (trained bundles come from 'promptedge train').",
      "",
      "Example: promptedge bundle pack --backbone models/micro-shallow.card.textproto"
          + " --task detection --name shapes --labels circle,square --out shapes.bundle"
    })
final class BundlePackCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--backbone",
      required = true,
      paramLabel = "CARD",
      description = "Backbone card (.card.textproto) the bundle is for.")
  Path backbone;

  @Option(
      names = "--task",
      required = true,
      description = "Task kind: ${COMPLETION-CANDIDATES}.",
      converter = TaskKinds.class,
      completionCandidates = TaskKinds.class)
  TaskKind task;

  @Option(names = "--name", required = true, description = "Task name (a-z, 0-9, '-', '_').")
  String name;

  @Option(
      names = "--labels",
      required = true,
      split = ",",
      paramLabel = "LABEL",
      description = "Class names, comma-separated, in head output order.")
  List<String> labels;

  @Option(
      names = "--bundle-version",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Bundle version; must grow with each new bundle of the same name (default: 1). Not"
              + " --version, which every command keeps for printing the tool's version.")
  long version;

  @Option(
      names = "--head-features",
      split = ",",
      paramLabel = "NAMES",
      description =
          "Feature outputs of the card the --head reads, in its input order (default: the card's"
              + " first feature output).")
  List<String> headFeatures;

  @Option(
      names = "--head",
      paramLabel = "FILE",
      description = "Head model (.tflite); default: a linear head with seeded weights.")
  Path head;

  @CommandLine.Mixin SeedOption seed = new SeedOption(1);

  @Option(
      names = "--self-test-image",
      paramLabel = "PNG",
      description = "Image for the self-test; default: a seeded synthetic image.")
  Path selfTestImage;

  @Option(
      names = "--score-threshold",
      defaultValue = "0.3",
      description = "Detection: minimum score (default: 0.3).")
  float scoreThreshold;

  @Option(
      names = "--iou-threshold",
      defaultValue = "0.5",
      description = "Detection: NMS IoU threshold (default: 0.5).")
  float iouThreshold;

  @Option(
      names = "--max-detections",
      defaultValue = "100",
      description = "Detection: most boxes per image (default: 100).")
  int maxDetections;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "Classification: classes reported (default: 5).")
  int topK;

  @Option(
      names = "--background-class",
      defaultValue = "0",
      description = "Segmentation: class id of the background, -1 for none (default: 0).")
  int backgroundClass;

  @Option(
      names = "--prompts",
      paramLabel = "KINDS",
      defaultValue = "all",
      description =
          "Prompt inputs the bundle carries: all, none, or a comma list of pixel, channel and"
              + " tokens; the others are left out and run at their identity (default: all).")
  String prompts;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Bundle file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    CardFile card = CardFile.read(backbone);
    PromptSelection carried;
    try {
      carried = PromptSelection.parse(prompts, card);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    int classes = labels.size();
    BundleContents contents =
        SeededContents.of(
            card,
            name,
            task,
            labels,
            version,
            seed.value(),
            postProcessing(classes),
            Provenances.of(spec, seed.value(), "none: seeded prompt and head"),
            slot -> carried.trains(slot.kind()));
    if (head != null) {
      contents = contents.withHead(Files.readAllBytes(head));
    }
    if (headFeatures != null) {
      contents = contents.withHeadFeatures(headFeatures);
    }
    if (selfTestImage != null) {
      contents = contents.withSelfTestPng(Files.readAllBytes(selfTestImage));
    }
    Bundle bundle = BundlePacker.pack(card, contents, InterpreterConfig.defaults());
    AtomicFiles.write(out, bundle.toBytes());
    spec.commandLine()
        .getOut()
        .printf(
            "wrote %s: %s v%d (%s, %d labels), %d bytes = %.3f%% of the backbone's %d bytes%n",
            out,
            bundle.name(),
            bundle.version(),
            task,
            classes,
            bundle.sizeBytes(),
            100.0 * bundle.sizeBytes() / backboneBytes(card),
            backboneBytes(card));
    return 0;
  }

  private static long backboneBytes(CardFile card) {
    return card.card().hasQuantizedModel()
        ? card.card().getQuantizedModel().getSizeBytes()
        : card.card().getFloatModel().getSizeBytes();
  }

  private PostProcessing postProcessing(int classes) {
    PostProcessing.Builder p = BundleContents.defaultPostProcessing(task, classes).toBuilder();
    switch (task) {
      case DETECTION ->
          p.getDetectionBuilder()
              .setScoreThreshold(scoreThreshold)
              .setIouThreshold(iouThreshold)
              .setMaxDetections(maxDetections);
      case SEGMENTATION -> p.getSegmentationBuilder().setBackgroundClass(backgroundClass);
      case CLASSIFICATION -> p.getClassificationBuilder().setTopK(Math.min(topK, classes));
      default -> throw new IllegalArgumentException("no post-processing for task " + task);
    }
    return p.build();
  }
}
