package dev.promptedge.tools.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.tools.graph.ConvBlockWeights;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.pack.SeededContents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trainable graph: the backbone executor (frozen, or with every constant trainable in mode
 * {@code full}), one DJL array per prompt input of the card (fed by name, broadcast over the batch,
 * initialized to the kind's identity, or seeded for TOKENS), and on the card's first feature output
 * the head as the very flatbuffer {@link HeadBuilder} writes (linear, or conv blocks before the
 * linear output), run by a second executor in which every weight, bias and kernel is trainable.
 * Owns both executors; not thread-safe; close it once.
 */
final class TrainModel implements AutoCloseable {

  final TfliteGraph backboneGraph;
  final GraphExecutor backbone;
  final GraphExecutor head;
  final NDManager manager;

  /** One trainable-or-fixed array [1, ...shape] per prompt input of the card, by name. */
  final Map<String, NDArray> prompts = new LinkedHashMap<>();

  /** Per prompt input: ones where a value learns (TOKENS beyond --prompt-tokens stay zero). */
  final Map<String, NDArray> promptMasks = new LinkedHashMap<>();

  final FeatureMap feature;
  final Map<String, NDArray> parameters = new LinkedHashMap<>();
  final Map<String, Float> learningRates = new LinkedHashMap<>();
  private final java.util.Set<String> maskedKinds = new java.util.HashSet<>();

  /** Head parameter key → constant name in the head graph. */
  private final Map<String, String> headParameters;

  private final int blocks;
  private final HeadWeights initialHead;
  private final TaskKind task;
  private final boolean frozen;
  private final Map<Prepared, float[][]> cache = new java.util.IdentityHashMap<>();
  private static final int CACHE_BATCH = 32;

  TrainModel(CardFile card, byte[] floatModel, TaskKind task, int classes, TrainOptions o) {
    this.task = task;
    this.frozen = o.mode() == TrainMode.LINEAR_PROBE;
    this.feature = card.featureOutputs().get(0);
    backboneGraph = TfliteGraph.read(floatModel, card.card().getSignature());
    GraphExecutor.Builder b = GraphExecutor.builder(backboneGraph);
    if (o.mode() == TrainMode.FULL) {
      b.optTrainable(Weights.of(backboneGraph));
    }
    backbone = b.build();
    int dim = feature.channels();
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
    blocks = o.head().blocks();
    List<ConvBlockWeights> initialBlocks = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      initialBlocks.add(ConvBlockWeights.random(dim, o.seed() * 131 + i));
    }
    TfliteGraph headGraph =
        TfliteGraph.read(build(initialBlocks, initialHead), HeadBuilder.SIGNATURE);
    headParameters = headParameters(headGraph);
    head =
        GraphExecutor.builder(headGraph).optTrainable(List.copyOf(headParameters.values())).build();
    manager = backbone.manager().newSubManager();
    long k = 0;
    for (PromptSlot slot : card.promptInputs()) {
      Shape shape =
          new Shape(1).addAll(new Shape(slot.shape().stream().mapToLong(i -> i).toArray()));
      boolean trains = o.mode().trainsPrompt() && o.prompts().trains(slot.kind());
      float[] initial = slot.identity();
      if (trains && slot.kind() == PromptKind.TOKENS) {
        initial = SeededContents.prompt(slot.size(), k == 0 ? o.seed() : o.seed() * 31 + k);
      }
      k++;
      NDArray prompt = manager.create(initial, shape);
      prompts.put(slot.name(), prompt);
      promptMasks.put(slot.name(), manager.create(mask(slot, o), shape));
      if (slot.kind() == PromptKind.TOKENS) {
        maskedKinds.add(slot.name());
      }
      if (trains) {
        prompt.setRequiresGradient(true);
        parameters.put(PROMPT_KEY + slot.name(), prompt);
        learningRates.put(PROMPT_KEY + slot.name(), o.learningRate());
      }
    }
    headParameters.forEach(
        (key, constant) -> {
          parameters.put(key, head.parameter(constant));
          learningRates.put(key, o.learningRate());
        });
    for (String name : backbone.trainable()) {
      parameters.put("backbone/" + name, backbone.parameter(name));
      learningRates.put("backbone/" + name, o.learningRate() / 10);
    }
  }

  /** Parameter name prefix of prompt inputs. */
  static final String PROMPT_KEY = "prompt/";

  /**
   * Which values of {@code slot} learn: for TOKENS [L, P, D] the first {@code --prompt-tokens}
   * tokens of each layer (all when 0); every value of other kinds.
   */
  private static float[] mask(PromptSlot slot, TrainOptions o) {
    float[] mask = new float[slot.size()];
    if (slot.kind() != PromptKind.TOKENS) {
      java.util.Arrays.fill(mask, 1f);
      return mask;
    }
    int l = slot.shape().get(0);
    int p = slot.shape().get(1);
    int dim = slot.shape().get(2);
    int tokens = o.promptTokens() == 0 ? p : o.promptTokens();
    for (int layer = 0; layer < l; layer++) {
      for (int t = 0; t < tokens; t++) {
        java.util.Arrays.fill(mask, (layer * p + t) * dim, (layer * p + t + 1) * dim, 1f);
      }
    }
    return mask;
  }

  /** Parameter key of the linear output's weight; its bias is {@link #HEAD_BIAS}. */
  static final String HEAD_WEIGHT = "head/weight";

  /** Parameter key of the linear output's bias. */
  static final String HEAD_BIAS = "head/bias";

  /**
   * Every trainable constant of the head graph (named {@code …/weight}, {@code …/bias} or {@code
   * …/kernel}) by parameter key: the linear output's as {@value #HEAD_WEIGHT} and {@value
   * #HEAD_BIAS}, the conv blocks' as {@code head/<constant name>}.
   */
  private static Map<String, String> headParameters(TfliteGraph graph) {
    List<String> constants =
        graph.constantNames().stream()
            .filter(n -> n.endsWith("/weight") || n.endsWith("/bias") || n.endsWith("/kernel"))
            .toList();
    List<String> weights = constants.stream().filter(n -> n.endsWith("/weight")).toList();
    if (weights.size() != 1) {
      throw new IllegalStateException("head graph has linear weights " + weights);
    }
    String weight = weights.get(0);
    String bias = weight.substring(0, weight.length() - "/weight".length()) + "/bias";
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(HEAD_WEIGHT, weight);
    keys.put(HEAD_BIAS, bias);
    for (String name : constants) {
      if (!name.equals(weight) && !name.equals(bias)) {
        keys.put("head/" + name, name);
      }
    }
    return keys;
  }

  private byte[] build(List<ConvBlockWeights> convBlocks, HeadWeights w) {
    return HeadBuilder.build(
        task, convBlocks, w, feature.name(), feature.height(), feature.width(), feature.channels());
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
    Shape one = new Shape(feature.height(), feature.width(), feature.channels());
    return scope.create(batch, new Shape(idx.length).addAll(one));
  }

  /**
   * The head's feature output of {@code pixels} with the current prompts, each prompt input fed by
   * name and broadcast over the batch.
   */
  NDArray features(NDManager scope, float[] pixels, int batch) {
    Map<String, NDArray> inputs = new LinkedHashMap<>();
    inputs.put(Backbone.PIXELS, scope.create(pixels, backbone.batchShape(Backbone.PIXELS, batch)));
    prompts.forEach((name, p) -> inputs.put(name, masked(name).repeat(0, batch)));
    return backbone.forward(scope, inputs).get(feature.name());
  }

  /**
   * A prompt input's value as fed: TOKENS with the tokens that do not learn zeroed (their
   * identity); other kinds learn every value.
   */
  private NDArray masked(String name) {
    NDArray p = prompts.get(name);
    return maskedKinds.contains(name) ? p.mul(promptMasks.get(name)) : p;
  }

  /** Head outputs of {@code features}. */
  NDArray head(NDManager scope, NDArray features) {
    return head.forward(scope, Map.of(feature.name(), features)).get(HeadBuilder.OUTPUTS);
  }

  /**
   * The current value of every prompt input that learns, by name; the others stay at their identity
   * and are left out (absent in a bundle = identity).
   */
  Map<String, float[]> promptValues() {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String name : prompts.keySet()) {
      if (!parameters.containsKey(PROMPT_KEY + name)) {
        continue;
      }
      if (maskedKinds.contains(name)) {
        // a masked kind's value is a new array: freed here, not kept until the model closes
        try (NDArray value = masked(name)) {
          values.put(name, value.toFloatArray());
        }
      } else {
        values.put(name, prompts.get(name).toFloatArray());
      }
    }
    return values;
  }

  /** The linear output's current weights. */
  HeadWeights headWeights() {
    return new HeadWeights(
        initialHead.outputs(),
        initialHead.dim(),
        head.parameterValues(headParameters.get(HEAD_WEIGHT)),
        head.parameterValues(headParameters.get(HEAD_BIAS)));
  }

  /** The conv blocks' current weights, in order. */
  List<ConvBlockWeights> blockWeights() {
    List<ConvBlockWeights> out = new ArrayList<>();
    for (int i = 0; i < blocks; i++) {
      String b = "block" + i;
      out.add(
          new ConvBlockWeights(
              initialHead.dim(),
              head.parameterValues(b + "/depthwise/kernel"),
              head.parameterValues(b + "/depthwise/bias"),
              head.parameterValues(b + "/pointwise/kernel"),
              head.parameterValues(b + "/pointwise/bias")));
    }
    return out;
  }

  /** The head flatbuffer with the current weights, as {@link HeadBuilder} writes it. */
  byte[] headModel() {
    return build(blockWeights(), headWeights());
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
      n +=
          e.getKey().startsWith(PROMPT_KEY)
              ? (long) promptMasks.get(e.getKey().substring(PROMPT_KEY.length())).sum().getFloat()
              : e.getValue().size();
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
