package dev.promptedge.tools.graph;

import dev.promptedge.format.TaskKind;
import java.util.List;

/**
 * Writes a task head as a standalone float32 TFLite flatbuffer: signature {@value #SIGNATURE},
 * input {@value #FEATURES} [B, Hp, Wp, D], output {@value #OUTPUTS}, batch dynamic.
 *
 * <p>First zero or more depthwise-separable residual blocks ({@link ConvBlockWeights}) on the grid,
 * then the linear output. Detection: a per-cell linear map to [B, Hp, Wp, C + 5]. Segmentation: a
 * per-cell linear map to [B, Hp, Wp, C]. Classification: MEAN over the grid, then a linear map to
 * [B, C]. Stateless and thread-safe.
 */
public final class HeadBuilder {

  /** Signature key of a head. */
  public static final String SIGNATURE = "head";

  /** Signature input: backbone features, float32 [B, Hp, Wp, D]. */
  public static final String FEATURES = "features";

  /** Signature output: the task's outputs, float32, shape by task kind. */
  public static final String OUTPUTS = "outputs";

  /** Per-cell values a detection head adds to the C class logits: objectness and four distances. */
  public static final int DETECTION_EXTRA = 5;

  private static final int BATCH = -1;

  private HeadBuilder() {}

  /**
   * Writes the head for {@code kind} over a {@code gridHeight} × {@code gridWidth} grid of {@code
   * dim}-wide features; throws if the weights do not fit or the kind is not a task.
   */
  public static byte[] build(
      TaskKind kind, HeadWeights weights, int gridHeight, int gridWidth, int dim) {
    return build(kind, weights, FEATURES, gridHeight, gridWidth, dim);
  }

  /**
   * Writes the head for {@code kind} reading the feature output named {@code input} (the head's
   * signature input is named like it), a {@code gridHeight} × {@code gridWidth} grid of {@code
   * dim}-wide features; throws if the weights do not fit or the kind is not a task.
   */
  public static byte[] build(
      TaskKind kind, HeadWeights weights, String input, int gridHeight, int gridWidth, int dim) {
    return build(kind, List.of(), weights, input, gridHeight, gridWidth, dim);
  }

  /**
   * Writes the head for {@code kind} with the conv {@code blocks} (in order, each on D channels)
   * before the linear output {@code weights}, reading the feature output named {@code input}, a
   * {@code gridHeight} × {@code gridWidth} grid of {@code dim}-wide features; throws if the weights
   * do not fit or the kind is not a task.
   */
  public static byte[] build(
      TaskKind kind,
      List<ConvBlockWeights> blocks,
      HeadWeights weights,
      String input,
      int gridHeight,
      int gridWidth,
      int dim) {
    check(kind, weights, gridHeight, gridWidth, dim);
    TfliteModelBuilder model = new TfliteModelBuilder("PromptEdge " + kind + " head");
    GraphOps ops = new GraphOps(model);
    int features = model.activation(input, BATCH, gridHeight, gridWidth, dim);
    int x = features;
    for (int i = 0; i < blocks.size(); i++) {
      x = ConvHeadBlocks.block(ops, "", i, blocks.get(i), x);
    }
    int outputs = head(ops, "", kind, weights, x, gridHeight, gridWidth);
    return model.signatureKey(SIGNATURE).input(input, features).output(OUTPUTS, outputs).build();
  }

  /** Throws {@link IllegalArgumentException} when the head cannot be built on this grid. */
  static void check(TaskKind kind, HeadWeights weights, int gridHeight, int gridWidth, int dim) {
    if (gridHeight <= 0 || gridWidth <= 0) {
      throw new IllegalArgumentException(
          "Head grid must be positive, got " + gridHeight + "x" + gridWidth);
    }
    if (weights.dim() != dim) {
      throw new IllegalArgumentException(
          "Head weights take D = " + weights.dim() + " but the features have D = " + dim);
    }
    int minimum = kind == TaskKind.DETECTION ? DETECTION_EXTRA + 1 : 1;
    if (weights.outputs() < minimum) {
      throw new IllegalArgumentException(
          kind + " head needs at least " + minimum + " outputs, got " + weights.outputs());
    }
  }

  /**
   * Writes the head's operators into {@code ops}' model, reading {@code features} [B, Hp, Wp, D];
   * every tensor name starts with {@code prefix}. Returns the output tensor, named {@code prefix +
   * }{@value #OUTPUTS}. The caller has run {@link #check}.
   */
  static int head(
      GraphOps ops,
      String prefix,
      TaskKind kind,
      HeadWeights weights,
      int features,
      int gh,
      int gw) {
    return switch (kind) {
      case DETECTION, SEGMENTATION -> perCell(ops, prefix, weights, features, gh, gw);
      case CLASSIFICATION -> {
        int pooled = ops.mean(prefix + "pooled", features, false, 1, 2);
        yield ops.fullyConnected(
            prefix + OUTPUTS, pooled, weights.weight(), weights.bias(), weights.outputs());
      }
      default -> throw new IllegalArgumentException("No head for task kind " + kind);
    };
  }

  /** The same linear map on every grid cell: [B, Hp, Wp, D] → [B, Hp, Wp, O]. */
  private static int perCell(
      GraphOps ops, String prefix, HeadWeights weights, int features, int gh, int gw) {
    int tokens = ops.reshape(prefix + "tokens", features, BATCH, gh * gw, weights.dim());
    int logits =
        ops.fullyConnected(
            prefix + "logits", tokens, weights.weight(), weights.bias(), weights.outputs());
    return ops.reshape(prefix + OUTPUTS, logits, BATCH, gh, gw, weights.outputs());
  }
}
