package dev.promptedge.tools.graph;

/**
 * Writes a float32 ViT backbone with visual prompt tuning as a TFLite flatbuffer: signature {@value
 * #SIGNATURE}, inputs {@value #PIXELS} [B, H, W, 3] and {@value #PROMPT} [B, L, P, D], output
 * {@value #FEATURES} [B, Hp, Wp, D], batch dynamic everywhere.
 *
 * <p>Tokens are ordered prompt first: T = P + N. Shallow VPT joins the P prompt tokens once after
 * the patch embedding; deep VPT replaces them with prompt layer l before block l. Blocks are pre-LN
 * with multi-head self-attention and a GELU MLP, where GELU is x · sigmoid(1.702 x). Stateless and
 * thread-safe.
 */
public final class VitBuilder {

  /** Signature key of the backbone. */
  public static final String SIGNATURE = "encode";

  /** Signature input: normalized pixels, float32 [B, H, W, 3]. */
  public static final String PIXELS = "pixels";

  /** Signature input: prompt tokens, float32 [B, L, P, D]. */
  public static final String PROMPT = "prompt";

  /** Signature output: patch features after the final layer norm, float32 [B, Hp, Wp, D]. */
  public static final String FEATURES = "features";

  private static final int BATCH = -1;

  private VitBuilder() {}

  /** Writes the backbone {@code spec} with {@code weights}; throws if the weights do not fit. */
  public static byte[] build(VitSpec spec, VitWeights weights) {
    weights.requireFits(spec);
    TfliteModelBuilder model = new TfliteModelBuilder("PromptEdge ViT backbone " + spec.name());
    GraphOps ops = new GraphOps(model);
    int pixels = model.activation(PIXELS, BATCH, spec.inputHeight(), spec.inputWidth(), 3);
    int prompt =
        model.activation(PROMPT, BATCH, spec.promptLayers(), spec.promptTokens(), spec.embedDim());
    int features = encode(ops, spec, weights, pixels, prompt);
    return model
        .signatureKey(SIGNATURE)
        .input(PIXELS, pixels)
        .input(PROMPT, prompt)
        .output(FEATURES, features)
        .build();
  }

  /**
   * Writes the backbone's operators into {@code ops}' model: {@code pixels} [B, H, W, 3] and {@code
   * prompt} [B, L, P, D] (an input, or a constant of batch 1 for a model fixed at batch 1) to
   * features [B, Hp, Wp, D], a tensor named {@value #FEATURES}; returns its index. The weights must
   * fit {@code spec}.
   */
  static int encode(GraphOps ops, VitSpec spec, VitWeights weights, int pixels, int prompt) {
    weights.requireFits(spec);
    int d = spec.embedDim();
    int n = spec.patchTokens();
    int x =
        ops.conv2d(
            "patch_embed",
            pixels,
            weights.patchKernel(),
            weights.patchBias(),
            d,
            spec.patchSize(),
            spec.patchSize());
    x = ops.reshape("patch_embed/tokens", x, BATCH, n, d);
    int position =
        ops.model()
            .constant("position_embedding", new int[] {1, n, d}, weights.positionEmbedding());
    x = ops.add("patch_embed/positioned", x, position);
    x = ops.concat("tokens/layer0", 1, promptLayer(ops, spec, prompt, 0), x);

    for (int l = 0; l < spec.depth(); l++) {
      if (spec.deep() && l > 0) {
        int patches = dropPrompt(ops, spec, "tokens/layer" + l + "/patches", x);
        x = ops.concat("tokens/layer" + l, 1, promptLayer(ops, spec, prompt, l), patches);
      }
      x = block(ops, spec, weights.blocks().get(l), "block" + l, x);
    }

    x =
        ops.layerNorm(
            "final_norm", x, weights.finalGamma(), weights.finalBeta(), spec.layerNormEpsilon());
    x = dropPrompt(ops, spec, "final_norm/patches", x);
    return ops.reshape(FEATURES, x, BATCH, spec.gridHeight(), spec.gridWidth(), d);
  }

  /** prompt[:, layer] as [B, P, D]. */
  private static int promptLayer(GraphOps ops, VitSpec spec, int prompt, int layer) {
    int p = spec.promptTokens();
    int d = spec.embedDim();
    String name = "prompt/layer" + layer;
    if (spec.promptLayers() == 1) {
      return ops.reshape(name, prompt, BATCH, p, d);
    }
    int wholeAxes = 0b1101; // batch, tokens, channels: whole range; axis 1 is sliced and dropped
    return ops.stridedSlice(
        name,
        prompt,
        new int[] {0, layer, 0, 0},
        new int[] {0, layer + 1, 0, 0},
        wholeAxes,
        wholeAxes,
        0b0010,
        new int[] {BATCH, p, d});
  }

  /** x[:, P:, :], the patch tokens. */
  private static int dropPrompt(GraphOps ops, VitSpec spec, String name, int x) {
    return ops.stridedSlice(
        name,
        x,
        new int[] {0, spec.promptTokens(), 0},
        new int[] {0, 0, 0},
        0b101,
        0b111,
        0,
        new int[] {BATCH, spec.patchTokens(), spec.embedDim()});
  }

  /** One pre-LN block: x + attention(ln1(x)), then + mlp(ln2(·)). */
  private static int block(GraphOps ops, VitSpec spec, VitBlockWeights w, String name, int x) {
    int d = spec.embedDim();
    float eps = spec.layerNormEpsilon();
    int h = ops.layerNorm(name + "/ln1", x, w.ln1Gamma(), w.ln1Beta(), eps);
    int q = projectHeads(ops, spec, name + "/attn/query", h, w.queryWeight(), w.queryBias());
    int k = projectHeads(ops, spec, name + "/attn/key", h, w.keyWeight(), w.keyBias());
    int v = projectHeads(ops, spec, name + "/attn/value", h, w.valueWeight(), w.valueBias());
    int scores = ops.batchMatMul(name + "/attn/scores", q, k, true);
    float scale = (float) (1 / Math.sqrt(spec.headDim()));
    scores = ops.mul(name + "/attn/scaled", scores, ops.scalar(name + "/attn/scale", scale));
    int attention = ops.softmax(name + "/attn/softmax", scores);
    int context = ops.batchMatMul(name + "/attn/context", attention, v, false);
    context = ops.transpose(name + "/attn/context_tokens", context, 0, 2, 1, 3);
    context = ops.reshape(name + "/attn/merged", context, BATCH, spec.tokens(), d);
    int projected = ops.fullyConnected(name + "/attn/out", context, w.outWeight(), w.outBias(), d);
    x = ops.add(name + "/attn/residual", x, projected);

    h = ops.layerNorm(name + "/ln2", x, w.ln2Gamma(), w.ln2Beta(), eps);
    h = ops.fullyConnected(name + "/mlp/fc1", h, w.fc1Weight(), w.fc1Bias(), spec.hiddenDim());
    h = ops.gelu(name + "/mlp/gelu", h);
    h = ops.fullyConnected(name + "/mlp/fc2", h, w.fc2Weight(), w.fc2Bias(), d);
    return ops.add(name + "/mlp/residual", x, h);
  }

  /** FULLY_CONNECTED [B, T, D] → [B, T, D], split into heads: [B, heads, T, D / heads]. */
  private static int projectHeads(
      GraphOps ops, VitSpec spec, String name, int x, float[] weight, float[] bias) {
    int projected = ops.fullyConnected(name, x, weight, bias, spec.embedDim());
    int split =
        ops.reshape(name + "/split", projected, BATCH, spec.tokens(), spec.heads(), spec.headDim());
    return ops.transpose(name + "/heads", split, 0, 2, 1, 3);
  }
}
