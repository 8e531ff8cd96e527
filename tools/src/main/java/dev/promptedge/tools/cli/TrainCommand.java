package dev.promptedge.tools.cli;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.graph.HeadType;
import dev.promptedge.tools.train.PromptSelection;
import dev.promptedge.tools.train.TrainMode;
import dev.promptedge.tools.train.TrainOptions;
import dev.promptedge.tools.train.TrainRequest;
import dev.promptedge.tools.train.TrainWorkflow;
import java.nio.file.Path;
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

  @CommandLine.Mixin SeedOption seed = new SeedOption(1);

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
    TrainOptions options;
    try {
      PromptSelection selection =
          prompts == null ? PromptSelection.ALL : PromptSelection.parse(prompts, card);
      options =
          new TrainOptions(
              task,
              mode(selection),
              promptTokens,
              epochs,
              batch,
              lr,
              seed.value(),
              patience,
              Optional.ofNullable(checkpoint),
              resume,
              headType,
              selection,
              lrSchedule == LrSchedule.cosine);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    TrainWorkflow.run(
        new TrainRequest(
            card,
            data,
            new SplitRule(seed.value(), valFraction),
            options,
            out,
            bundleName,
            version,
            Optional.ofNullable(scoreThreshold),
            Provenances.of(spec, seed.value(), data.toAbsolutePath().normalize().toString())),
        spec.commandLine().getOut());
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
}
