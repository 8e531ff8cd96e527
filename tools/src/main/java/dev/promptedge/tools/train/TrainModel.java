package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.TaskKind;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.pack.SeededContents;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable graph: the backbone executor (frozen, or with every constant trainable in mode
 * {@code full}), the prompt as a DJL array broadcast over the batch, and the head as the very
 * flatbuffer {@link HeadBuilder} writes, run by a second executor whose weight and bias are
 * trainable. Owns both executors; not thread-safe; close it once.
 */
final class TrainModel implements AutoCloseable {

  final TfliteGraph backboneGraph;
  final GraphExecutor backbone;
  final GraphExecutor head;
  final NDManager manager;
  final NDArray prompt;
  final NDArray promptMask;
  final Map<String, NDArray> parameters = new LinkedHashMap<>();
  final Map<String, Float> learningRates = new LinkedHashMap<>();
  final Shape promptShape;
  private final String weightName;
  private final String biasName;
  private final HeadWeights initialHead;
  private final TaskKind task;
  private final BackboneCard card;
  private final boolean frozen;
  private final Map<Prepared, float[][]> cache = new java.util.IdentityHashMap<>();
  private static final int CACHE_BATCH = 32;

  TrainModel(BackboneCard card, byte[] floatModel, TaskKind task, int classes, TrainOptions o) {
    this.task = task;
    this.card = card;
    this.frozen = o.mode() == TrainMode.LINEAR_PROBE;
    backboneGraph = TfliteGraph.read(floatModel, VitBuilder.SIGNATURE);
    GraphExecutor.Builder b = GraphExecutor.builder(backboneGraph);
    if (o.mode() == TrainMode.FULL) {
      b.optTrainable(Weights.of(backboneGraph));
    }
    backbone = b.build();
    int dim = card.getEmbedDim();
    int outputs = task == TaskKind.DETECTION ? classes + HeadBuilder.DETECTION_EXTRA : classes;
    HeadWeights random = HeadWeights.random(outputs, dim, o.seed());
    float[] bias = random.bias();
    if (task == TaskKind.DETECTION) {
      bias[classes] = -2f; // objectness prior ~0.12: most cells are background
      for (int i = classes + 1; i < outputs; i++) {
        bias[i] = 0f; // distances start at one patch
      }
    }
    initialHead = new HeadWeights(outputs, dim, random.weight(), bias);
    TfliteGraph headGraph = TfliteGraph.read(build(initialHead), HeadBuilder.SIGNATURE);
    List<String> headConstants = headGraph.constantNames();
    weightName =
        headConstants.stream().filter(n -> n.endsWith("/weight")).findFirst().orElseThrow();
    biasName = headConstants.stream().filter(n -> n.endsWith("/bias")).findFirst().orElseThrow();
    head = GraphExecutor.builder(headGraph).optTrainable(List.of(weightName, biasName)).build();
    manager = backbone.manager().newSubManager();
    int l = card.getPromptLayers();
    int p = card.getPromptTokens();
    promptShape = new Shape(1, l, p, dim);
    float[] initial =
        o.mode().trainsPrompt()
            ? SeededContents.prompt(l * p * dim, o.seed())
            : new float[l * p * dim];
    prompt = manager.create(initial, promptShape);
    float[] mask = new float[l * p * dim];
    int tokens = o.promptTokens() == 0 ? p : o.promptTokens();
    for (int layer = 0; layer < l; layer++) {
      for (int t = 0; t < tokens; t++) {
        java.util.Arrays.fill(mask, (layer * p + t) * dim, (layer * p + t + 1) * dim, 1f);
      }
    }
    promptMask = manager.create(mask, promptShape);
    if (o.mode().trainsPrompt()) {
      prompt.setRequiresGradient(true);
      parameters.put("prompt", prompt);
      learningRates.put("prompt", o.learningRate());
    }
    parameters.put("head/weight", head.parameter(weightName));
    parameters.put("head/bias", head.parameter(biasName));
    learningRates.put("head/weight", o.learningRate());
    learningRates.put("head/bias", o.learningRate());
    for (String name : backbone.trainable()) {
      parameters.put("backbone/" + name, backbone.parameter(name));
      learningRates.put("backbone/" + name, o.learningRate() / 10);
    }
  }

  private byte[] build(HeadWeights w) {
    int grid = card.getInputHeight() / card.getPatchSize();
    int gridW = card.getInputWidth() / card.getPatchSize();
    return HeadBuilder.build(task, w, grid, gridW, card.getEmbedDim());
  }

  /**
   * Backbone features [B, Hp, Wp, D] of samples {@code idx} of {@code data} with the current
   * prompt. In a linear probe nothing before the head learns, so each sample's features are
   * computed once and reused in every epoch.
   */
  NDArray features(NDManager scope, Prepared data, int[] idx) {
    if (!frozen) {
      return features(scope, data.batchPixels(idx), idx.length);
    }
    float[][] cached = cache.computeIfAbsent(data, d -> new float[d.size()][]);
    for (int from = 0; from < idx.length; from += CACHE_BATCH) {
      int[] missing =
          java.util.Arrays.stream(idx, from, Math.min(idx.length, from + CACHE_BATCH))
              .filter(i -> cached[i] == null)
              .toArray();
      if (missing.length > 0) {
        try (NDManager tmp = manager.newSubManager()) {
          float[] all = features(tmp, data.batchPixels(missing), missing.length).toFloatArray();
          int each = all.length / missing.length;
          for (int k = 0; k < missing.length; k++) {
            cached[missing[k]] = java.util.Arrays.copyOfRange(all, k * each, (k + 1) * each);
          }
        }
      }
    }
    int each = cached[idx[0]].length;
    float[] batch = new float[idx.length * each];
    for (int k = 0; k < idx.length; k++) {
      System.arraycopy(cached[idx[k]], 0, batch, k * each, each);
    }
    Shape one =
        new Shape(
            card.getInputHeight() / card.getPatchSize(),
            card.getInputWidth() / card.getPatchSize(),
            card.getEmbedDim());
    return scope.create(batch, new Shape(idx.length).addAll(one));
  }

  /** Backbone features [B, Hp, Wp, D] of {@code pixels} with the current prompt. */
  NDArray features(NDManager scope, float[] pixels, int batch) {
    NDArray x = scope.create(pixels, backbone.batchShape(VitBuilder.PIXELS, batch));
    NDArray batched = prompt.mul(promptMask).repeat(0, batch);
    return backbone
        .forward(scope, Map.of(VitBuilder.PIXELS, x, VitBuilder.PROMPT, batched))
        .get(VitBuilder.FEATURES);
  }

  /** Head outputs of {@code features}. */
  NDArray head(NDManager scope, NDArray features) {
    return head.forward(scope, Map.of(HeadBuilder.FEATURES, features)).get(HeadBuilder.OUTPUTS);
  }

  /** The current prompt tokens [L, P, D] with untrained tokens zero. */
  float[] promptValues() {
    return prompt.mul(promptMask).toFloatArray();
  }

  HeadWeights headWeights() {
    return new HeadWeights(
        initialHead.outputs(),
        initialHead.dim(),
        head.parameterValues(weightName),
        head.parameterValues(biasName));
  }

  byte[] headModel() {
    return build(headWeights());
  }

  /** Every trainable value by parameter name, as float arrays. */
  Map<String, float[]> values() {
    Map<String, float[]> v = new LinkedHashMap<>();
    parameters.forEach((k, a) -> v.put(k, a.toFloatArray()));
    return v;
  }

  /**
   * Sets every trainable value from {@code values} (keys as {@link #values()}); throws if absent.
   */
  void load(Map<String, float[]> values, String prefix) {
    parameters.forEach(
        (k, a) -> {
          float[] v = values.get(prefix + k);
          if (v == null || v.length != a.size()) {
            throw new IllegalArgumentException(
                "checkpoint has no " + prefix + k + " of " + a.size() + " values");
          }
          a.set(v);
        });
  }

  long trainableCount() {
    long n = 0;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      n += e.getKey().equals("prompt") ? (long) promptMask.sum().getFloat() : e.getValue().size();
    }
    return n;
  }

  Map<String, Integer> sizes() {
    Map<String, Integer> s = new LinkedHashMap<>();
    parameters.forEach((k, a) -> s.put(k, Math.toIntExact(a.size())));
    return s;
  }

  @Override
  public void close() {
    manager.close();
    head.close();
    backbone.close();
  }
}
