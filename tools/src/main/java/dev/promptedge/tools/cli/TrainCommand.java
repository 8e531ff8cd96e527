package dev.promptedge.tools.cli;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.tools.data.Dataset;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.eval.EvalListener;
import dev.promptedge.tools.eval.EvalOptions;
import dev.promptedge.tools.eval.Evaluator;
import dev.promptedge.tools.eval.ImageResult;
import dev.promptedge.tools.eval.ScoreThreshold;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.HeadType;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.train.Curves;
import dev.promptedge.tools.train.EpochStats;
import dev.promptedge.tools.train.MetricValidators;
import dev.promptedge.tools.train.PromptSelection;
import dev.promptedge.tools.train.TrainMode;
import dev.promptedge.tools.train.TrainOptions;
import dev.promptedge.tools.train.TrainResult;
import dev.promptedge.tools.train.Trainer;
import dev.promptedge.tools.train.Validator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge train}: a prompt bundle trained on a dataset against a frozen backbone. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the backbone's prompt inputs and a head (linear or conv) on a dataset against its float model"
          + " (executed on the host with autograd; images preprocessed exactly as the device"
          + " does), validate each epoch, keep the best epoch, stop early, and write the bundle"
          + " (self-test from a validation image, metrics) plus loss and metric curves (PNG).",
      "Modes: linear-probe = head only, every prompt input at its identity; prompt = every"
          + " prompt input of the card (shallow tokens, pixel prompt, channel scale/shift, each"
          + " starting from its identity; tokens seeded) + head; prompt-deep = one token prompt"
          + " per block + head (needs a deep card, L = depth, e.g. 'backbone build --deep');"
          + " full = prompts, head and every backbone weight: writes a"
          + " new backbone (.tflite + card, float only) beside the bundle, which then targets it."
          + " In every mode but full the backbone file is only read.",
      "--prompts picks which prompt inputs learn (e.g. --prompts channel on a CNN card): the"
          + " others stay at their identity and the bundle leaves them out, so it shrinks;"
          + " --prompts none is the linear probe.",
      "Ctrl-C is safe with --checkpoint DIR: a checkpoint is written atomically after every"
          + " epoch; run the same command with --resume to continue.",
      "",
      "Example: promptedge train --task detection --backbone models/demo/demo-vit.card.textproto"
          + " --data scenes/detection --mode prompt --epochs 15 --out shapes.bundle"
    })
final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--task",
      required = true,
      description = "Task kind: ${COMPLETION-CANDIDATES}.",
      converter = TaskKinds.class,
      completionCandidates = TaskKinds.class)
  TaskKind task;

  @Option(names = "--backbone", required = true, paramLabel = "CARD", description = "Card.")
  Path backbone;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "DIR",
      description = "Dataset folder in the task's layout (with train/ and val/, or split by seed).")
  Path data;

  @Option(
      names = "--mode",
      description =
          "linear-probe, prompt, prompt-deep or full (default: prompt, or linear-probe with"
              + " --prompts none).")
  String mode;

  @Option(
      names = "--prompts",
      paramLabel = "KINDS",
      description =
          "Which of the card's prompt inputs learn: all, none (= --mode linear-probe), or a comma"
              + " list of pixel, channel (channel scale/shift) and tokens; the others stay at"
              + " their identity and are left out of the bundle (default: all).")
  String prompts;

  @Option(
      names = "--prompt-tokens",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Tokens of a TOKENS input that learn, 1..P; the rest stay zero (default: all P).")
  int promptTokens;

  @Option(names = "--epochs", defaultValue = "10", description = "Most epochs (default: 10).")
  int epochs;

  @Option(names = "--batch", defaultValue = "16", description = "Images per step (default: 16).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.005", description = "Adam learning rate.")
  float lr;

  @Option(
      names = "--lr-schedule",
      defaultValue = "constant",
      description =
          "constant (--lr throughout) or cosine (--lr decayed to 0 along a half cosine over the"
              + " steps of --epochs epochs) (default: ${DEFAULT-VALUE}).")
  LrSchedule lrSchedule;

  /** Learning-rate schedules. */
  enum LrSchedule {
    constant,
    cosine
  }

  @Option(names = "--seed", defaultValue = "1", description = "Seed of init, order and split.")
  long seed;

  @Option(
      names = "--patience",
      defaultValue = "3",
      description = "Epochs without a better val score before stopping; 0 = never (default: 3).")
  int patience;

  @Option(
      names = "--val-fraction",
      defaultValue = "0.2",
      description = "Validation share when the data has no train/ and val/ (default: 0.2).")
  double valFraction;

  @Option(names = "--out", required = true, paramLabel = "FILE.bundle", description = "Bundle.")
  Path out;

  @Option(names = "--name", description = "Task name (default: the bundle file's name).")
  String name;

  @Option(
      names = "--bundle-version",
      defaultValue = "1",
      paramLabel = "N",
      description = "Bundle version, growing per name (default: 1).")
  long version;

  @Option(
      names = "--head",
      defaultValue = "linear",
      description =
          "Head: linear (per-cell or pooled linear map), conv (one depthwise-separable 3x3"
              + " residual block before it) or conv2 (two) (default: ${DEFAULT-VALUE}).")
  String head;

  @Option(names = "--checkpoint", paramLabel = "DIR", description = "Checkpoint folder.")
  Path checkpoint;

  @Option(names = "--resume", description = "Continue from the checkpoint in --checkpoint.")
  boolean resume;

  @Option(
      names = "--score-threshold",
      paramLabel = "S",
      description =
          "Detection: the score threshold the bundle ships with (default: the one with the best"
              + " F1 at IoU 0.5 on the val split, run through the runtime on the float backbone).")
  Float scoreThreshold;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    HeadType headType;
    try {
      headType = HeadType.parse(head);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (scoreThreshold != null
        && (task != TaskKind.DETECTION || !(scoreThreshold > 0 && scoreThreshold < 1))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          task != TaskKind.DETECTION
              ? "--score-threshold applies to --task detection only"
              : "--score-threshold must be above 0 and below 1, got " + scoreThreshold);
    }
    String file = out.getFileName().toString();
    String bundleName =
        name != null
            ? name
            : file.endsWith(".bundle") ? file.substring(0, file.length() - 7) : file;
    CardFile card = CardFile.read(backbone);
    PromptSelection selection;
    TrainMode trainMode;
    try {
      selection = prompts == null ? PromptSelection.ALL : PromptSelection.parse(prompts, card);
      trainMode = mode(selection);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    byte[] floatModel = Files.readAllBytes(card.modelPath(false));
    SplitRule rule = new SplitRule(seed, valFraction);
    Splits<? extends Sample> splits =
        switch (task) {
          case DETECTION -> Datasets.detection(data, rule);
          case SEGMENTATION -> Datasets.segmentation(data, rule);
          case CLASSIFICATION -> Datasets.classification(data, rule);
          default -> throw new IllegalArgumentException("cannot train task " + task);
        };
    List<String> labels = splits.train().labels();
    PostProcessing post = BundleContents.defaultPostProcessing(task, labels.size());
    Validator validator = MetricValidators.of(task, labels, post, card.featureOutputs().get(0));
    TrainOptions options;
    try {
      options =
          new TrainOptions(
              task,
              trainMode,
              promptTokens,
              epochs,
              batch,
              lr,
              seed,
              patience,
              Optional.ofNullable(checkpoint),
              resume,
              headType,
              selection,
              lrSchedule == LrSchedule.cosine);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    log.printf(
        "training %s (%s, %s head, prompts %s) on %s: %d train, %d val images, %d classes%n",
        bundleName,
        trainMode.cliName(),
        headType.label(),
        options.prompts(),
        data,
        splits.train().size(),
        splits.val().size(),
        labels.size());
    TrainResult r = Trainer.train(card, floatModel, splits, labels, options, validator, log);
    CardFile target = card;
    if (r.backboneModel().isPresent()) {
      Path dir = out.toAbsolutePath().getParent();
      target =
          GraphWriteBack.writeBackbone(
              dir,
              card.card().getName() + "-" + bundleName,
              card,
              r.backboneModel().get(),
              "fine-tuned with the bundle " + bundleName + " (promptedge train --mode full)");
      log.printf(
          "wrote the fine-tuned backbone %s (float only: for int8, run promptedge backbone"
              + " quantize --card %s --mode int8 --calibration IMAGES, then promptedge bundle"
              + " repack --backbone %s --in %s)%n",
          target.path(), target.path(), target.path(), out);
    }
    EpochStats best = r.best();
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("val_" + key(r.metric()), best.score());
    metrics.put("val_loss", best.valLoss());
    metrics.put("train_loss", best.trainLoss());
    metrics.put("best_epoch", (double) best.epoch());
    metrics.put("trainable_parameters", (double) r.trainableParameters());
    metrics.put("head_conv_blocks", (double) headType.blocks());
    metrics.put("head_bytes", (double) r.headModel().length);
    if (r.backboneModel().isPresent()) {
      metrics.put("fine_tuned_backbone_bytes", (double) r.backboneModel().get().length);
    }
    metrics.values().removeIf(v -> !Double.isFinite(v));
    BundleContents contents =
        new BundleContents(
            bundleName,
            task,
            version,
            labels,
            r.prompts(),
            r.headModel(),
            r.headFeatures(),
            post,
            r.selfTestPng(),
            metrics,
            Provenances.of(spec, seed, data.toAbsolutePath().normalize().toString()).toBuilder()
                .addNotes(
                    "head "
                        + headType.label()
                        + " ("
                        + headType.blocks()
                        + " conv blocks, "
                        + r.headModel().length
                        + " bytes)")
                .addNotes(promptNote(card, r))
                .build());
    Bundle bundle = BundlePacker.pack(target, contents, InterpreterConfig.defaults());
    if (task == TaskKind.DETECTION) {
      ScoreThreshold.Choice choice =
          scoreThreshold != null
              ? new ScoreThreshold.Choice(scoreThreshold, Double.NaN, Double.NaN, Double.NaN)
              : chooseThreshold(target, bundle, splits.val(), post);
      PostProcessing.Builder deployed = post.toBuilder();
      deployed.getDetectionBuilder().setScoreThreshold(choice.threshold());
      metrics.put("deployed_score_threshold", (double) choice.threshold());
      if (!Double.isNaN(choice.f1())) {
        metrics.put("val_f1_deployed", choice.f1());
        log.printf(
            Locale.ROOT,
            "deployed score threshold %.3f: val F1 %.3f (precision %.3f, recall %.3f) at IoU %.1f%n",
            choice.threshold(),
            choice.f1(),
            choice.precision(),
            choice.recall(),
            THRESHOLD_IOU);
      }
      contents = contents.withPostProcessing(deployed.build(), metrics);
      bundle = BundlePacker.pack(target, contents, InterpreterConfig.defaults());
    }
    AtomicFiles.write(out, bundle.toBytes());
    String prefix =
        out.toString().endsWith(".bundle")
            ? out.toString().substring(0, out.toString().length() - 7)
            : out.toString();
    List<Path> curves = Curves.write(r.history(), r.metric(), Path.of(prefix));
    float deviation = deviceDeviation(bundle, r.selfTestOutput());
    long backboneBytes =
        target.card().hasQuantizedModel()
            ? target.card().getQuantizedModel().getSizeBytes()
            : target.card().getFloatModel().getSizeBytes();
    log.printf(
        Locale.ROOT,
        "best epoch %d: val %s %.4f, val loss %.4f; %d trainable values%n"
            + "wrote %s: %d bytes = %.3f%% of the backbone's %d bytes; curves %s, %s%n"
            + "self-test: device head output vs the trained host graph, max abs difference %.3g%n",
        best.epoch(),
        r.metric(),
        best.score(),
        best.valLoss(),
        r.trainableParameters(),
        out,
        bundle.sizeBytes(),
        100.0 * bundle.sizeBytes() / backboneBytes,
        backboneBytes,
        curves.get(0),
        curves.get(1),
        deviation);
    return 0;
  }

  /**
   * The mode {@code --mode} names, or without it the one {@code selection} implies; throws when the
   * two contradict each other ({@code --mode linear-probe --prompts all}; the rest is checked by
   * {@link TrainOptions}).
   */
  private TrainMode mode(PromptSelection selection) {
    if (mode == null) {
      return selection.none() ? TrainMode.LINEAR_PROBE : TrainMode.PROMPT;
    }
    TrainMode m = TrainMode.parse(mode);
    if (m == TrainMode.LINEAR_PROBE && prompts != null && selection.all()) {
      throw new IllegalArgumentException(
          "--mode linear-probe trains no prompt input but --prompts all asks for every one; use"
              + " --prompts none, or drop --mode");
    }
    return m;
  }

  /** E.g. {@code prompts trained: scale_shift_0 (channel); at identity, absent: pixel_prompt}. */
  private static String promptNote(CardFile card, TrainResult r) {
    List<String> trained = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (var slot : card.promptInputs()) {
      if (r.prompts().containsKey(slot.name())) {
        trained.add(slot.name() + " (" + PromptSelection.cliName(slot.kind()) + ")");
      } else {
        absent.add(slot.name());
      }
    }
    return "prompts trained: "
        + (trained.isEmpty() ? "none" : String.join(", ", trained))
        + (absent.isEmpty() ? "" : "; at identity, absent: " + String.join(", ", absent));
  }

  /** IoU at which a detection counts as right when the deployed threshold is chosen. */
  static final double THRESHOLD_IOU = 0.5;

  /** The best-F1 threshold of {@code bundle} on {@code val}, as the device runs it (float). */
  private static ScoreThreshold.Choice chooseThreshold(
      CardFile card, Bundle bundle, Dataset<? extends Sample> val, PostProcessing post) {
    List<ScoreThreshold.Image> images = new ArrayList<>();
    try (Evaluator evaluator = Evaluator.open(card, false, InterpreterConfig.defaults())) {
      evaluator.evaluate(
          bundle,
          val,
          EvalOptions.defaults(),
          new EvalListener() {
            @Override
            public void onImage(ImageResult r) {
              images.add(
                  ScoreThreshold.Image.of(
                      (DetectionSample) r.sample(),
                      ((TaskOutput.Detections) r.result().output()).boxes()));
            }
          });
    }
    return ScoreThreshold.best(images, THRESHOLD_IOU, post.getDetection().getScoreThreshold());
  }

  /** The largest difference between the float expectation the packer measured and the host's. */
  static float deviceDeviation(Bundle bundle, float[] host) {
    var expectation = bundle.bundle().getSelfTest().getExpectations(0).getOutput();
    float max = 0;
    for (int i = 0; i < host.length; i++) {
      max = Math.max(max, Math.abs(expectation.getValues(i) - host[i]));
    }
    return max;
  }

  private static String key(String metric) {
    return metric.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("_$", "");
  }
}
