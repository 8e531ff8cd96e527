package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.data.SegmentationSample;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pretrains a float ViT backbone from random weights on two label-free-to-make scene objectives
 * read from generated segmentation scenes: per-patch classification (softmax cross-entropy of every
 * patch token, through a linear layer, against the class covering most of its cell, background
 * included) plus multi-label scene classification (binary cross-entropy of the mean-pooled tokens,
 * through a linear layer, against which classes appear). The two linear heads are discarded
 * afterwards; their biases start at the split's priors so the loss starts at the prior and the
 * gradient goes to the features. Every backbone weight learns (Adam, linear warm-up then cosine
 * decay, global gradient-norm clipping at {@value #CLIP}); scalar constants stay fixed; the prompt
 * input is N(0, 0.02²) noise (the distribution VPT prompts start from), seeded per batch. Half of
 * each batch, chosen by seed and step, is mirrored left-right (pixels and cell targets). Stateless;
 * each call owns its native memory.
 */
public final class Pretrainer {

  private Pretrainer() {}

  /** Global L2 norm the gradient is clipped to before each Adam step. */
  static final double CLIP = 1.0;

  /**
   * What pretraining produced. Validation numbers are after the last step.
   *
   * @param constants the trained float constants by tensor name (valid for the shallow and the deep
   *     graph of the spec: they share names)
   * @param steps optimizer steps taken
   * @param seconds wall time of the training loop
   * @param finalTrainLoss mean total loss (cell CE + scene BCE) since the last evaluation
   * @param valCellLoss per-cell cross-entropy on the validation split
   * @param valCellAccuracy per-cell accuracy on the validation split
   * @param priorCellAccuracy per-cell accuracy of always predicting the validation split's most
   *     frequent cell class (what a backbone that learned nothing gets)
   * @param valLoss scene BCE on the validation split
   * @param valAccuracy per-label scene accuracy at 0.5 on the validation split
   * @param priorAccuracy per-label accuracy of the best constant prediction on validation
   * @param valExactMatch share of validation scenes whose label set is predicted exactly
   * @param history per evaluation: step, train loss, val cell CE, val cell accuracy, val scene BCE,
   *     val label accuracy
   */
  public record Result(
      Map<String, float[]> constants,
      long steps,
      double seconds,
      double finalTrainLoss,
      double valCellLoss,
      double valCellAccuracy,
      double priorCellAccuracy,
      double valLoss,
      double valAccuracy,
      double priorAccuracy,
      double valExactMatch,
      List<double[]> history) {}

  /** Steps whose loss is printed one by one at the start. */
  static final int TIMING_STEPS = 10;

  /**
   * Pretrains {@code spec} (shallow) from {@code VitWeights.random(spec, seed)} on {@code train}
   * (segmentation scenes: the mask gives the cell and the scene labels) for {@code steps} steps, or
   * until {@code budgetSeconds} have passed when {@code steps} is 0.
   */
  public static Result pretrain(
      VitSpec spec,
      long seed,
      SampleSet<SegmentationSample> train,
      SampleSet<SegmentationSample> val,
      int batch,
      float learningRate,
      long steps,
      double budgetSeconds,
      PrintWriter log) {
    if (spec.deep()) {
      throw new IllegalArgumentException(
          "pretrain the shallow spec; the deep graph shares weights");
    }
    int classes = train.labels().size();
    Preprocessor pre =
        new Preprocessor(
            spec.inputWidth(),
            spec.inputHeight(),
            spec.normalizationMean(),
            spec.normalizationStd());
    CellTargets.Grid grid =
        new CellTargets.Grid(spec.gridHeight(), spec.gridWidth(), spec.patchSize());
    log.printf("preparing %d train and %d val scenes%n", train.size(), val.size());
    log.flush();
    Prepared tr = Prepared.of(train, TaskKind.SEGMENTATION, pre, grid);
    Prepared va = Prepared.of(val, TaskKind.SEGMENTATION, pre, grid);
    float[][] trLabels = ScenePriors.present(tr, classes);
    float[][] vaLabels = ScenePriors.present(va, classes);
    ScenePriors priors = ScenePriors.of(tr, classes);
    ScenePriors valPriors = ScenePriors.of(va, classes);
    log.printf(
        Locale.ROOT,
        "prior on val: cell accuracy %.4f, scene label accuracy %.4f%n",
        valPriors.cellAccuracy(),
        valPriors.labelAccuracy());
    TfliteGraph graph =
        TfliteGraph.read(
            VitBuilder.build(spec, VitWeights.random(spec, seed)), VitBuilder.SIGNATURE);
    TfliteGraph cellGraph = head(TaskKind.SEGMENTATION, priors.cellBias(), spec, seed + 1);
    TfliteGraph sceneGraph = head(TaskKind.CLASSIFICATION, priors.sceneBias(), spec, seed + 2);
    try (GraphExecutor backbone =
            GraphExecutor.builder(graph).optTrainable(Weights.of(graph)).build();
        GraphExecutor cellHead =
            GraphExecutor.builder(cellGraph).optTrainable(cellGraph.constantNames()).build();
        GraphExecutor sceneHead =
            GraphExecutor.builder(sceneGraph).optTrainable(sceneGraph.constantNames()).build()) {
      PretrainModel m = new PretrainModel(backbone, cellHead, sceneHead, classes);
      Map<String, NDArray> params = new LinkedHashMap<>();
      for (String n : backbone.trainable()) {
        params.put("backbone/" + n, backbone.parameter(n));
      }
      for (String n : cellHead.trainable()) {
        params.put("cells/" + n, cellHead.parameter(n));
      }
      for (String n : sceneHead.trainable()) {
        params.put("scene/" + n, sceneHead.parameter(n));
      }
      Map<String, Integer> sizes = new LinkedHashMap<>();
      params.forEach((k, a) -> sizes.put(k, Math.toIntExact(a.size())));
      AdamOptimizer adam = new AdamOptimizer(sizes);
      Map<String, Float> lrs = new LinkedHashMap<>();
      long total = steps;
      long start = System.nanoTime();
      List<double[]> history = new ArrayList<>();
      double recent = 0;
      int recentCount = 0;
      int perEpoch = Math.max(1, tr.size() / batch);
      long evalEvery = Math.max(50, Math.min(perEpoch, 100));
      double[] lastVal = null;
      boolean timed = total == 0;
      for (long step = 0; ; step++) {
        double elapsedSeconds = (System.nanoTime() - start) / 1e9;
        if (timed ? elapsedSeconds >= budgetSeconds : step >= total) {
          total = step;
          break;
        }
        // A time budget schedules by elapsed time, so a busy machine gets fewer steps, not more
        // minutes; --steps schedules by step and reproduces a run's step count exactly.
        double progress = timed ? elapsedSeconds / budgetSeconds : (double) step / total;
        float lr = schedule(learningRate, progress);
        params.keySet().forEach(k -> lrs.put(k, lr));
        int[] order = PromptTrainer.shuffled(tr.size(), seed * 7919L + step / perEpoch);
        int from = (int) (step % perEpoch) * batch;
        int[] idx = java.util.Arrays.copyOfRange(order, from, from + batch);
        float loss;
        try (NDManager scope = backbone.manager().newSubManager();
            GradientCollector collector = backbone.newGradientCollector()) {
          boolean[] flip = flips(seed, step, idx.length);
          NDArray[] out = m.forward(scope, tr, idx, flip);
          NDArray l =
              m.cellLoss(out[0], tr, idx, flip, scope).add(m.sceneLoss(out[1], trLabels, idx));
          collector.backward(l);
          loss = l.getFloat();
        }
        clip(params.values(), CLIP);
        adam.step(params, lrs);
        if (step < TIMING_STEPS) {
          log.printf(Locale.ROOT, "step %d loss %.4f%n", step + 1, loss);
          log.flush();
        }
        recent += loss;
        recentCount++;
        if ((step + 1) % evalEvery == 0) {
          lastVal = m.validate(va, vaLabels, batch);
          double elapsed = (System.nanoTime() - start) / 1e9;
          history.add(row(step + 1, recent / recentCount, lastVal));
          log.printf(
              Locale.ROOT,
              "step %d%s  train loss %.4f  val cell CE %.4f acc %.4f  val scene BCE %.4f"
                  + " label acc %.4f exact %.4f  %s elapsed, ETA %s%n",
              step + 1,
              timed ? "" : "/" + total,
              recent / recentCount,
              lastVal[0],
              lastVal[1],
              lastVal[2],
              lastVal[3],
              lastVal[4],
              Progress.clock(elapsed),
              Progress.clock(
                  timed ? budgetSeconds - elapsed : elapsed / (step + 1) * (total - step - 1)));
          log.flush();
          recent = 0;
          recentCount = 0;
        }
      }
      if (recentCount > 0 || lastVal == null) {
        lastVal = m.validate(va, vaLabels, batch);
        history.add(row(total, recentCount == 0 ? Double.NaN : recent / recentCount, lastVal));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      log.printf(
          Locale.ROOT,
          "final after %d steps (%.0f s): val cell CE %.4f acc %.4f (prior %.4f)  val scene BCE"
              + " %.4f label acc %.4f (prior %.4f) exact %.4f%n",
          total,
          seconds,
          lastVal[0],
          lastVal[1],
          valPriors.cellAccuracy(),
          lastVal[2],
          lastVal[3],
          valPriors.labelAccuracy(),
          lastVal[4]);
      Map<String, float[]> constants = new LinkedHashMap<>();
      for (String n : backbone.trainable()) {
        constants.put(n, backbone.parameterValues(n));
      }
      double trainLoss = Double.NaN;
      for (double[] h : history) {
        trainLoss = Double.isFinite(h[1]) ? h[1] : trainLoss;
      }
      return new Result(
          constants,
          total,
          seconds,
          trainLoss,
          lastVal[0],
          lastVal[1],
          valPriors.cellAccuracy(),
          lastVal[2],
          lastVal[3],
          valPriors.labelAccuracy(),
          lastVal[4],
          history);
    }
  }

  /** The model {@code spec} with {@code constants} written in (shallow or deep graph). */
  public static byte[] model(VitSpec spec, long seed, Map<String, float[]> constants) {
    TfliteGraph g =
        TfliteGraph.read(
            VitBuilder.build(spec, VitWeights.random(spec, seed)), VitBuilder.SIGNATURE);
    if (!g.constantNames().containsAll(constants.keySet())) {
      throw new IllegalArgumentException("the trained constants do not fit " + spec.name());
    }
    return GraphWriteBack.withConstants(g, constants);
  }

  /** Linear warm-up over the first 10 %, then cosine decay to 5 % of {@code lr}. */
  static float schedule(float lr, double progress) {
    double warmup = 0.1;
    if (progress < warmup) {
      return (float) (lr * Math.max(0.01, progress / warmup));
    }
    double p = Math.min(1, (progress - warmup) / (1 - warmup));
    return (float) (lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * p))));
  }

  /** Scales every gradient so their global L2 norm is at most {@code max}; returns the norm. */
  static double clip(Iterable<NDArray> params, double max) {
    double squares = 0;
    for (NDArray p : params) {
      try (NDArray g = p.getGradient()) {
        for (float x : g.toFloatArray()) {
          squares += (double) x * x;
        }
      }
    }
    double norm = Math.sqrt(squares);
    if (norm > max) {
      float scale = (float) (max / norm);
      for (NDArray p : params) {
        try (NDArray g = p.getGradient()) {
          g.muli(scale);
        }
      }
    }
    return norm;
  }

  private static TfliteGraph head(TaskKind kind, float[] bias, VitSpec spec, long seed) {
    HeadWeights random = HeadWeights.random(bias.length, spec.embedDim(), seed);
    HeadWeights weights = new HeadWeights(bias.length, spec.embedDim(), random.weight(), bias);
    byte[] bytes =
        HeadBuilder.build(kind, weights, spec.gridHeight(), spec.gridWidth(), spec.embedDim());
    return TfliteGraph.read(bytes, HeadBuilder.SIGNATURE);
  }

  /** Which samples of a step's batch are mirrored left-right (half, seeded by seed and step). */
  static boolean[] flips(long seed, long step, int n) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed * 1_000_003L + step);
    boolean[] flip = new boolean[n];
    for (int i = 0; i < n; i++) {
      flip[i] = r.nextBoolean();
    }
    return flip;
  }

  private static double[] row(long step, double trainLoss, double[] val) {
    return new double[] {step, trainLoss, val[0], val[1], val[2], val[3]};
  }
}
