package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.tools.data.Dataset;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.GraphWriteBack;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.pack.SeededContents;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pretrains a float ViT backbone from random weights on multi-label scene classification: which
 * classes appear in a scene, binary cross-entropy on the mean-pooled patch tokens through a linear
 * layer (the classification head graph, discarded afterwards). Every backbone constant learns
 * (Adam, linear warm-up then cosine decay over a fixed number of steps); the prompt input stays
 * N(0, 0.02²) noise (the distribution VPT prompts start from), seeded per batch. Stateless; each
 * call owns its native memory.
 */
public final class Pretrainer {

  private Pretrainer() {}

  /**
   * What pretraining produced.
   *
   * @param constants the trained float constants by tensor name (valid for the shallow and the deep
   *     graph of the spec: they share names)
   * @param steps optimizer steps taken
   * @param seconds wall time of the training loop
   * @param finalTrainLoss mean BCE over the last 50 steps
   * @param valLoss BCE on the validation split after the last step
   * @param valAccuracy per-label accuracy at 0.5 on the validation split
   * @param valExactMatch share of validation scenes whose label set is predicted exactly
   * @param history per evaluation: step, train loss, val loss, val label accuracy
   */
  public record Result(
      Map<String, float[]> constants,
      long steps,
      double seconds,
      double finalTrainLoss,
      double valLoss,
      double valAccuracy,
      double valExactMatch,
      List<double[]> history) {}

  /** Steps whose loss is printed one by one at the start. */
  static final int TIMING_STEPS = 10;

  /**
   * Pretrains {@code spec} (shallow) from {@code VitWeights.random(spec, seed)} on {@code train}
   * for {@code steps} steps, or until {@code budgetSeconds} have passed when {@code steps} is 0.
   */
  public static Result pretrain(
      VitSpec spec,
      long seed,
      Dataset<DetectionSample> train,
      Dataset<DetectionSample> val,
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
    Targets.Grid grid = new Targets.Grid(spec.gridHeight(), spec.gridWidth(), spec.patchSize());
    log.printf("preparing %d train and %d val scenes%n", train.size(), val.size());
    log.flush();
    Prepared tr = Prepared.of(train, TaskKind.DETECTION, pre, grid);
    Prepared va = Prepared.of(val, TaskKind.DETECTION, pre, grid);
    float[][] trLabels = multiHot(tr, classes);
    float[][] vaLabels = multiHot(va, classes);
    TfliteGraph graph =
        TfliteGraph.read(
            VitBuilder.build(spec, VitWeights.random(spec, seed)), VitBuilder.SIGNATURE);
    byte[] headBytes =
        HeadBuilder.build(
            TaskKind.CLASSIFICATION,
            HeadWeights.random(classes, spec.embedDim(), seed),
            spec.gridHeight(),
            spec.gridWidth(),
            spec.embedDim());
    TfliteGraph headGraph = TfliteGraph.read(headBytes, HeadBuilder.SIGNATURE);
    try (GraphExecutor backbone =
            GraphExecutor.builder(graph).optTrainable(Weights.of(graph)).build();
        GraphExecutor head =
            GraphExecutor.builder(headGraph).optTrainable(headGraph.constantNames()).build()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      for (String n : backbone.trainable()) {
        params.put("backbone/" + n, backbone.parameter(n));
      }
      for (String n : head.trainable()) {
        params.put("head/" + n, head.parameter(n));
      }
      Map<String, Integer> sizes = new LinkedHashMap<>();
      params.forEach((k, a) -> sizes.put(k, Math.toIntExact(a.size())));
      Adam adam = new Adam(sizes);
      Map<String, Float> lrs = new LinkedHashMap<>();
      long total = steps;
      long start = System.nanoTime();
      List<double[]> history = new ArrayList<>();
      double recent = 0;
      int recentCount = 0;
      int perEpoch = Math.max(1, tr.size() / batch);
      long evalEvery = Math.max(50, perEpoch);
      double[] lastVal = {Double.NaN, Double.NaN, Double.NaN};
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
        int[] order = Trainer.shuffled(tr.size(), seed * 7919L + step / perEpoch);
        int from = (int) (step % perEpoch) * batch;
        int[] idx = java.util.Arrays.copyOfRange(order, from, from + batch);
        float loss;
        try (NDManager scope = backbone.manager().newSubManager();
            GradientCollector collector = backbone.newGradientCollector()) {
          NDArray logits = forward(backbone, head, scope, tr, idx, spec);
          NDArray y = scope.create(rows(trLabels, idx), new Shape(idx.length, classes));
          NDArray l = Losses.binaryCrossEntropy(logits, y).mean();
          collector.backward(l);
          loss = l.getFloat();
        }
        adam.step(params, lrs);
        if (step < TIMING_STEPS) {
          log.printf("step %d BCE %.4f%n", step + 1, loss);
          log.flush();
        }
        recent += loss;
        recentCount++;
        if ((step + 1) % evalEvery == 0) {
          lastVal = validate(backbone, head, va, vaLabels, spec, batch);
          double elapsed = (System.nanoTime() - start) / 1e9;
          history.add(new double[] {step + 1, recent / recentCount, lastVal[0], lastVal[1]});
          log.printf(
              "step %d%s  train BCE %.4f  val BCE %.4f  val label acc %.4f  exact %.4f  %s"
                  + " elapsed, ETA %s%n",
              step + 1,
              timed ? "" : "/" + total,
              recent / recentCount,
              lastVal[0],
              lastVal[1],
              lastVal[2],
              Progress.clock(elapsed),
              Progress.clock(
                  timed ? budgetSeconds - elapsed : elapsed / (step + 1) * (total - step - 1)));
          log.flush();
          recent = 0;
          recentCount = 0;
        }
      }
      if (recentCount > 0 || history.isEmpty()) {
        lastVal = validate(backbone, head, va, vaLabels, spec, batch);
        history.add(
            new double[] {
              total, recentCount == 0 ? Double.NaN : recent / recentCount, lastVal[0], lastVal[1]
            });
      }
      log.printf(
          "final after %d steps: val BCE %.4f  val label acc %.4f  exact %.4f%n",
          total, lastVal[0], lastVal[1], lastVal[2]);
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
          (System.nanoTime() - start) / 1e9,
          trainLoss,
          lastVal[0],
          lastVal[1],
          lastVal[2],
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

  /** Linear warm-up over the first 5 %, then cosine decay to 5 % of {@code lr}. */
  static float schedule(float lr, double progress) {
    double warmup = 0.05;
    if (progress < warmup) {
      return (float) (lr * Math.max(0.01, progress / warmup));
    }
    double p = Math.min(1, (progress - warmup) / (1 - warmup));
    return (float) (lr * (0.05 + 0.95 * 0.5 * (1 + Math.cos(Math.PI * p))));
  }

  private static NDArray forward(
      GraphExecutor backbone,
      GraphExecutor head,
      NDManager scope,
      Prepared data,
      int[] idx,
      VitSpec spec) {
    NDArray pixels =
        scope.create(data.batchPixels(idx), backbone.batchShape(VitBuilder.PIXELS, idx.length));
    // Prompt-like noise, N(0, 0.02²) as VPT initializes prompts, seeded by the batch's first index.
    Shape shape = backbone.batchShape(VitBuilder.PROMPT, idx.length);
    NDArray prompt =
        scope.create(SeededContents.prompt(Math.toIntExact(shape.size()), idx[0] * 31L + 7), shape);
    NDArray features =
        backbone
            .forward(scope, Map.of(VitBuilder.PIXELS, pixels, VitBuilder.PROMPT, prompt))
            .get(VitBuilder.FEATURES);
    return head.forward(scope, Map.of(HeadBuilder.FEATURES, features)).get(HeadBuilder.OUTPUTS);
  }

  /** Val BCE, per-label accuracy at 0.5, exact-match share. */
  private static double[] validate(
      GraphExecutor backbone,
      GraphExecutor head,
      Prepared va,
      float[][] labels,
      VitSpec spec,
      int batch) {
    double loss = 0;
    long correct = 0;
    long exact = 0;
    int classes = labels.length == 0 ? 0 : labels[0].length;
    for (int from = 0; from < va.size(); from += batch) {
      int n = Math.min(batch, va.size() - from);
      int[] idx = new int[n];
      for (int i = 0; i < n; i++) {
        idx[i] = from + i;
      }
      try (NDManager scope = backbone.manager().newSubManager()) {
        NDArray logits = forward(backbone, head, scope, va, idx, spec);
        NDArray y = scope.create(rows(labels, idx), new Shape(n, classes));
        loss += Losses.binaryCrossEntropy(logits, y).mean().getFloat() * n;
        float[] out = logits.toFloatArray();
        for (int i = 0; i < n; i++) {
          boolean all = true;
          for (int c = 0; c < classes; c++) {
            boolean predicted = out[i * classes + c] > 0;
            boolean truth = labels[idx[i]][c] > 0.5f;
            if (predicted == truth) {
              correct++;
            } else {
              all = false;
            }
          }
          exact += all ? 1 : 0;
        }
      }
    }
    int n = Math.max(1, va.size());
    return new double[] {loss / n, (double) correct / ((long) n * classes), (double) exact / n};
  }

  private static float[][] multiHot(Prepared data, int classes) {
    float[][] y = new float[data.size()][classes];
    for (int i = 0; i < data.size(); i++) {
      for (Instance in : ((DetectionSample) data.samples.get(i)).instances()) {
        y[i][in.classIndex()] = 1;
      }
    }
    return y;
  }

  private static float[] rows(float[][] y, int[] idx) {
    int c = y[0].length;
    float[] out = new float[idx.length * c];
    for (int i = 0; i < idx.length; i++) {
      System.arraycopy(y[idx[i]], 0, out, i * c, c);
    }
    return out;
  }
}
