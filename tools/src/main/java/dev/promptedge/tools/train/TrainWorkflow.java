package dev.promptedge.tools.train;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.eval.ScoreThreshold;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.HeadType;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code promptedge train} from the dataset to the bundle file: trains with {@link PromptTrainer},
 * writes a fine-tuned backbone back in mode {@code full}, packs the bundle with its metrics, ships
 * a detection bundle with the best-F1 score threshold on the validation split, and writes the loss
 * and metric curves beside it. Stateless; progress goes to the caller's log.
 */
public final class TrainWorkflow {

  private TrainWorkflow() {}

  /**
   * Runs {@code request}, printing progress and a summary to {@code log}, and returns the bundle
   * written to {@link TrainRequest#out()}.
   *
   * @throws IllegalArgumentException when the mode does not fit the card, a checkpoint does not fit
   *     the run, or the data does not fit the task
   */
  public static Bundle run(TrainRequest request, PrintWriter log) throws IOException {
    CardFile card = request.card();
    TrainOptions options = request.options();
    TaskKind task = options.task();
    HeadType headType = options.head();
    Path out = request.out();
    byte[] floatModel = Files.readAllBytes(card.modelPath(false));
    Splits<? extends Sample> splits =
        switch (task) {
          case DETECTION -> Datasets.detection(request.data(), request.split());
          case SEGMENTATION -> Datasets.segmentation(request.data(), request.split());
          case CLASSIFICATION -> Datasets.classification(request.data(), request.split());
          default -> throw new IllegalArgumentException("cannot train task " + task);
        };
    List<String> labels = splits.train().labels();
    PostProcessing post = BundleContents.defaultPostProcessing(task, labels.size());
    Validator validator = MetricValidators.of(task, labels, post, card.featureOutputs().get(0));
    log.printf(
        "training %s (%s, %s head, prompts %s) on %s: %d train, %d val images, %d classes%n",
        request.name(),
        options.mode().cliName(),
        headType.label(),
        options.prompts(),
        request.data(),
        splits.train().size(),
        splits.val().size(),
        labels.size());
    TrainResult r = PromptTrainer.train(card, floatModel, splits, labels, options, validator, log);
    CardFile target = card;
    if (r.backboneModel().isPresent()) {
      target = writeBackbone(request, r.backboneModel().get(), log);
    }
    Map<String, Double> metrics = metrics(r, headType);
    BundleContents contents =
        new BundleContents(
            request.name(),
            task,
            request.version(),
            labels,
            r.prompts(),
            r.headModel(),
            r.headFeatures(),
            post,
            r.selfTestPng(),
            metrics,
            provenance(request, r));
    Bundle bundle = BundlePacker.pack(target, contents, InterpreterConfig.defaults());
    if (task == TaskKind.DETECTION) {
      ScoreThreshold.Choice choice =
          request.scoreThreshold().isPresent()
              ? DeployedThreshold.given(request.scoreThreshold().get())
              : DeployedThreshold.best(target, bundle, splits.val(), post);
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
            DeployedThreshold.IOU);
      }
      contents = contents.withPostProcessing(deployed.build(), metrics);
      bundle = BundlePacker.pack(target, contents, InterpreterConfig.defaults());
    }
    AtomicFiles.write(out, bundle.toBytes());
    List<Path> curves = Curves.write(r.history(), r.metric(), Path.of(withoutSuffix(out)));
    printSummary(log, r, out, bundle, target, curves);
    return bundle;
  }

  /** Mode {@code full}: the fine-tuned backbone written beside the bundle, as a new card. */
  private static CardFile writeBackbone(TrainRequest request, byte[] model, PrintWriter log)
      throws IOException {
    CardFile card = request.card();
    Path out = request.out();
    CardFile target =
        GraphWriteBack.writeBackbone(
            out.toAbsolutePath().getParent(),
            card.card().getName() + "-" + request.name(),
            card,
            model,
            "fine-tuned with the bundle " + request.name() + " (promptedge train --mode full)");
    log.printf(
        "wrote the fine-tuned backbone %s (float only: for int8, run promptedge backbone"
            + " quantize --card %s --mode int8 --calibration IMAGES, then promptedge bundle"
            + " repack --backbone %s --in %s)%n",
        target.path(), target.path(), target.path(), out);
    return target;
  }

  /** The best epoch's scores and the sizes the bundle records, finite values only. */
  private static Map<String, Double> metrics(TrainResult r, HeadType headType) {
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
    return metrics;
  }

  /** The request's provenance, stamped now, with notes on the head and the prompts trained. */
  private static Provenance provenance(TrainRequest request, TrainResult r) {
    HeadType headType = request.options().head();
    return request.provenance().toBuilder()
        .setCreatedEpochSeconds(Instant.now().getEpochSecond())
        .addNotes(
            "head "
                + headType.label()
                + " ("
                + headType.blocks()
                + " conv blocks, "
                + r.headModel().length
                + " bytes)")
        .addNotes(promptNote(request.card(), r))
        .build();
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

  private static void printSummary(
      PrintWriter log, TrainResult r, Path out, Bundle bundle, CardFile target, List<Path> curves) {
    EpochStats best = r.best();
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
  }

  /** The largest difference between the float expectation the packer measured and the host's. */
  private static float deviceDeviation(Bundle bundle, float[] host) {
    var expectation = bundle.bundle().getSelfTest().getExpectations(0).getOutput();
    float max = 0;
    for (int i = 0; i < host.length; i++) {
      max = Math.max(max, Math.abs(expectation.getValues(i) - host[i]));
    }
    return max;
  }

  private static String withoutSuffix(Path out) {
    String s = out.toString();
    return s.endsWith(".bundle") ? s.substring(0, s.length() - 7) : s;
  }

  private static String key(String metric) {
    return metric.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("_$", "");
  }
}
