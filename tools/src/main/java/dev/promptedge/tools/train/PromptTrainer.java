package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.HeadType;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Trains a prompt and a linear head (and in mode {@code full} the backbone) on a dataset against a
 * float backbone executed by DJL: Adam, one pass over the shuffled training split per epoch,
 * validation after each epoch, the best epoch kept, early stopping, an atomic checkpoint after each
 * epoch that {@code resume} continues from. Images go through the runtime's {@link Preprocessor},
 * so the trainer sees exactly what the device will. Stateless; each call owns its native memory.
 */
public final class PromptTrainer {

  private PromptTrainer() {}

  /**
   * Trains on {@code data} for {@code card}'s backbone ({@code floatModel} is its float file).
   *
   * @throws IllegalArgumentException when the mode does not fit the card, a checkpoint does not fit
   *     the run, or the data does not fit the task
   */
  public static TrainResult train(
      CardFile cardFile,
      byte[] floatModel,
      Splits<? extends Sample> data,
      List<String> labels,
      TrainOptions o,
      Validator validator,
      PrintWriter log)
      throws IOException {
    BackboneCard card = cardFile.card();
    checkMode(cardFile, o);
    FeatureMap feature = cardFile.featureOutputs().get(0);
    CellTargets.Grid grid =
        new CellTargets.Grid(feature.height(), feature.width(), feature.stride());
    Preprocessor pre = Preprocessor.forCard(card);
    if (data.train().size() == 0) {
      throw new IllegalArgumentException("the training split is empty; give the trainer images");
    }
    Prepared train = Prepared.of(data.train(), o.task(), pre, grid);
    Prepared val = Prepared.of(data.val(), o.task(), pre, grid);
    int classes = labels.size();
    String fingerprint =
        String.join(
                " ",
                o.task().name(),
                o.mode().cliName(),
                "tokens=" + o.promptTokens(),
                "batch=" + o.batch(),
                "lr=" + o.learningRate(),
                "seed=" + o.seed(),
                "backbone=" + Sha256.hex(floatModel),
                "train=" + train.size(),
                "val=" + val.size(),
                "labels=" + labels)
            + (o.head() == HeadType.LINEAR ? "" : " head=" + o.head().label())
            + (o.prompts().all() || o.mode() == TrainMode.LINEAR_PROBE
                ? ""
                : " prompts=" + o.prompts())
            + (o.cosine() ? " lr=cosine over " + o.epochs() + " epochs" : "");
    try (TrainModel model = new TrainModel(cardFile, floatModel, o.task(), classes, o)) {
      AdamOptimizer adam = new AdamOptimizer(model.sizes());
      List<EpochStats> history = new ArrayList<>();
      Map<String, float[]> best = model.values();
      int bestEpoch = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      int start = 0;
      if (o.resume()) {
        Checkpoint c = Checkpoint.read(o.checkpointDir().orElseThrow());
        if (!c.fingerprint().equals(fingerprint)) {
          throw new IllegalArgumentException(
              "the checkpoint is from another run ("
                  + c.fingerprint()
                  + "); resume with the same task, mode, data and settings, or drop --resume");
        }
        model.load(c.arrays(), "");
        adam.restore(c.arrays(), c.scalars(), List.copyOf(model.parameters.keySet()));
        best = new LinkedHashMap<>();
        for (String k : model.parameters.keySet()) {
          best.put(k, c.arrays().get("best/" + k));
        }
        start = Math.toIntExact(c.scalars().get("epoch"));
        bestEpoch = Math.toIntExact(c.scalars().get("best_epoch"));
        history = History.read(c.scalars());
        bestScore = bestEpoch == 0 ? Double.NEGATIVE_INFINITY : history.get(bestEpoch - 1).score();
        log.printf("resuming after epoch %d (best so far: epoch %d)%n", start, bestEpoch);
      }
      long steps = (train.size() + o.batch() - 1) / o.batch();
      boolean stopped = false;
      for (int epoch = start; epoch < o.epochs() && !stopped; epoch++) {
        long began = System.nanoTime();
        int[] order = shuffled(train.size(), o.seed() * 1_000_003L + epoch);
        double lossSum = 0;
        Progress progress = new Progress(log, epoch + 1, o.epochs(), steps);
        for (int s = 0; s < steps; s++) {
          int from = s * o.batch();
          int[] idx =
              java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + o.batch()));
          float loss;
          try (NDManager scope = model.manager.newSubManager();
              GradientCollector collector = model.backbone.newGradientCollector()) {
            NDArray features = model.features(scope, train, idx);
            NDArray outputs = model.head(scope, features);
            NDArray l = Losses.loss(o.task(), outputs, train.batchTargets(idx), classes, scope);
            collector.backward(l);
            loss = l.getFloat();
          }
          adam.step(
              model.parameters,
              rates(model.learningRates, o.rateFactor(epoch * steps + s, o.epochs() * steps)));
          lossSum += loss;
          progress.step(s + 1, lossSum / (s + 1));
        }
        Evaluation v = evaluate(model, val, o, classes, validator);
        EpochStats stats =
            new EpochStats(
                epoch + 1, lossSum / steps, v.loss, v.score, (System.nanoTime() - began) / 1e9);
        history.add(stats);
        boolean improved = val.size() == 0 || !(v.score <= bestScore);
        if (improved) {
          bestScore = val.size() == 0 ? Double.NEGATIVE_INFINITY : v.score;
          bestEpoch = epoch + 1;
          best = model.values();
        }
        progress.done(stats, validator.metric(), improved);
        if (o.patience() > 0 && epoch + 1 - bestEpoch >= o.patience()) {
          log.printf(
              "stopping early: no better %s for %d epochs%n", validator.metric(), o.patience());
          stopped = true;
        }
        if (o.checkpointDir().isPresent()) {
          checkpoint(model, adam, best, epoch + 1, bestEpoch, history, fingerprint)
              .write(o.checkpointDir().get());
        }
      }
      model.load(best, "");
      Optional<byte[]> backbone =
          o.mode() == TrainMode.FULL
              ? Optional.of(GraphWriteBack.withTrained(model.backbone))
              : Optional.empty();
      Prepared selfTest = val.size() > 0 ? val : train;
      byte[] png = SelfTestImages.png(selfTest.samples.get(0).image());
      float[] selfTestOutput = outputs(model, selfTest, new int[] {0}).get(0);
      return new TrainResult(
          model.promptValues(),
          model.headWeights(),
          model.headModel(),
          List.of(feature.name()),
          backbone,
          List.copyOf(history),
          bestEpoch,
          validator.metric(),
          model.trainableCount(),
          png,
          selfTestOutput);
    }
  }

  /** {@code rates} times {@code factor}, or {@code rates} itself for factor 1. */
  private static Map<String, Float> rates(Map<String, Float> rates, float factor) {
    if (factor == 1f) {
      return rates;
    }
    Map<String, Float> scaled = new LinkedHashMap<>();
    rates.forEach((k, v) -> scaled.put(k, v * factor));
    return scaled;
  }

  private static void checkMode(CardFile card, TrainOptions o) {
    o.prompts().check(card);
    List<PromptSlot> tokens =
        card.promptInputs().stream().filter(p -> p.kind() == PromptKind.TOKENS).toList();
    if (o.mode().trainsPrompt() && o.mode() != TrainMode.FULL && card.promptInputs().isEmpty()) {
      throw new IllegalArgumentException(
          "mode "
              + o.mode().cliName()
              + " trains prompt inputs but "
              + card.card().getName()
              + " has none; use --mode linear-probe or full, or a card with prompt inputs");
    }
    if (tokens.isEmpty()) {
      if (o.mode() == TrainMode.PROMPT_DEEP) {
        throw new IllegalArgumentException(
            "mode prompt-deep trains deep VPT tokens but "
                + card.card().getName()
                + " has no TOKENS input (it takes "
                + card.promptInputs()
                + "); use --mode prompt, which trains every prompt input");
      }
      if (o.promptTokens() > 0) {
        throw new IllegalArgumentException(
            "--prompt-tokens limits TOKENS inputs but "
                + card.card().getName()
                + " has none; drop it");
      }
      return;
    }
    if (!o.prompts().trains(PromptKind.TOKENS)) {
      return;
    }
    int layers = tokens.get(0).shape().get(0);
    int perLayer = tokens.get(0).shape().get(1);
    boolean deep = layers > 1;
    if (o.mode() == TrainMode.PROMPT_DEEP && !deep) {
      throw new IllegalArgumentException(
          "mode prompt-deep needs a deep backbone (prompt layers L = depth) but "
              + card.card().getName()
              + " is shallow (L = 1); build one with 'promptedge backbone build --deep' or use the"
              + " deep card of the same weights (models/demo/demo-vit-deep.card.textproto)");
    }
    if (o.mode() == TrainMode.PROMPT && deep) {
      throw new IllegalArgumentException(
          "mode prompt trains a shallow prompt but "
              + card.card().getName()
              + " is deep (L = "
              + layers
              + "); use --mode prompt-deep, or a shallow card");
    }
    if (o.promptTokens() > perLayer) {
      throw new IllegalArgumentException(
          "--prompt-tokens "
              + o.promptTokens()
              + " exceeds the backbone's P = "
              + perLayer
              + "; use at most "
              + perLayer);
    }
  }

  private record Evaluation(double loss, double score) {}

  private static Evaluation evaluate(
      TrainModel model, Prepared val, TrainOptions o, int classes, Validator validator) {
    if (val.size() == 0) {
      return new Evaluation(Double.NaN, Double.NaN);
    }
    double lossSum = 0;
    List<float[]> outs = new ArrayList<>();
    for (int from = 0; from < val.size(); from += o.batch()) {
      int[] idx = range(from, Math.min(val.size(), from + o.batch()));
      try (NDManager scope = model.manager.newSubManager()) {
        NDArray outputs = model.head(scope, model.features(scope, val, idx));
        lossSum +=
            Losses.loss(o.task(), outputs, val.batchTargets(idx), classes, scope).getFloat()
                * idx.length;
        split(outputs.toFloatArray(), idx.length, outs);
      }
    }
    List<Letterbox> lbs = List.of(val.letterboxes);
    return new Evaluation(lossSum / val.size(), validator.score(val.samples, outs, lbs));
  }

  /** Head outputs of samples {@code idx} of {@code data}, one array per sample. */
  static List<float[]> outputs(TrainModel model, Prepared data, int[] idx) {
    List<float[]> outs = new ArrayList<>();
    try (NDManager scope = model.manager.newSubManager()) {
      NDArray outputs = model.head(scope, model.features(scope, data, idx));
      split(outputs.toFloatArray(), idx.length, outs);
    }
    return outs;
  }

  private static void split(float[] all, int n, List<float[]> into) {
    int each = all.length / n;
    for (int i = 0; i < n; i++) {
      into.add(java.util.Arrays.copyOfRange(all, i * each, (i + 1) * each));
    }
  }

  private static Checkpoint checkpoint(
      TrainModel model,
      AdamOptimizer adam,
      Map<String, float[]> best,
      int epoch,
      int bestEpoch,
      List<EpochStats> history,
      String fingerprint) {
    Map<String, float[]> arrays = new LinkedHashMap<>(model.values());
    best.forEach((k, v) -> arrays.put("best/" + k, v));
    Map<String, Long> scalars = new LinkedHashMap<>();
    adam.save(arrays, scalars);
    History.write(history, scalars);
    scalars.put("epoch", (long) epoch);
    scalars.put("best_epoch", (long) bestEpoch);
    return new Checkpoint(fingerprint, arrays, scalars);
  }

  static int[] shuffled(int n, long seed) {
    int[] order = range(0, n);
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  /** The task's kinds the trainer supports. */
  static boolean supports(TaskKind task) {
    return task == TaskKind.DETECTION
        || task == TaskKind.SEGMENTATION
        || task == TaskKind.CLASSIFICATION;
  }
}
