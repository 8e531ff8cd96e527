package dev.promptedge.tools.graph;

import java.util.Arrays;
import java.util.Objects;

/**
 * The architecture of a ViT backbone with visual prompt tuning: input size, patching, width, depth,
 * heads, MLP ratio, prompt tokens and whether prompts are deep (one set per block).
 *
 * <p>The normalization is not part of the graph: callers normalize pixels as {@code (value − mean)
 * / std} per channel before feeding {@code pixels}; the backbone card records both. The constructor
 * validates and copies the arrays; accessors return copies.
 *
 * @param name short name written into the model description and the card
 * @param inputHeight H, in pixels
 * @param inputWidth W, in pixels
 * @param patchSize side of a square patch; divides H and W
 * @param embedDim D, the token width; divisible by {@code heads}
 * @param depth number of transformer blocks
 * @param heads attention heads per block
 * @param mlpRatio hidden width of the MLP in multiples of D
 * @param promptTokens P, prompt tokens per layer
 * @param deep true for deep VPT (L = depth prompt layers), false for shallow (L = 1)
 * @param layerNormEpsilon epsilon added to the variance in every layer normalization
 * @param normalizationMean per-channel (RGB) mean subtracted from pixel values in [0, 1]
 * @param normalizationStd per-channel (RGB) standard deviation dividing pixel values
 */
public record VitSpec(
    String name,
    int inputHeight,
    int inputWidth,
    int patchSize,
    int embedDim,
    int depth,
    int heads,
    int mlpRatio,
    int promptTokens,
    boolean deep,
    float layerNormEpsilon,
    float[] normalizationMean,
    float[] normalizationStd) {

  /** ImageNet channel means, the usual normalization of ViT backbones. */
  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

  /** ImageNet channel standard deviations. */
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  /** Validates every field and copies the arrays; throws one message naming the bad values. */
  public VitSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(normalizationMean, "normalizationMean");
    Objects.requireNonNull(normalizationStd, "normalizationStd");
    normalizationMean = normalizationMean.clone();
    normalizationStd = normalizationStd.clone();
    String problem =
        validate(
            name,
            inputHeight,
            inputWidth,
            patchSize,
            embedDim,
            depth,
            heads,
            mlpRatio,
            promptTokens,
            layerNormEpsilon,
            normalizationMean,
            normalizationStd);
    if (problem != null) {
      throw new IllegalArgumentException("Invalid ViT spec " + name + ": " + problem);
    }
  }

  /** A 32×32 micro ViT for tests: patch 8, D 32, depth 2, 2 heads, MLP ratio 2, 4 prompts. */
  public static VitSpec micro(boolean deep) {
    return new VitSpec(
        deep ? "micro-deep" : "micro-shallow",
        32,
        32,
        8,
        32,
        2,
        2,
        2,
        4,
        deep,
        1e-6f,
        IMAGENET_MEAN,
        IMAGENET_STD);
  }

  /**
   * The demo ViT: 64×64 input, patch 8 (an 8×8 grid), D 96, depth 4, 3 heads, MLP ratio 4, 8 prompt
   * tokens; {@code deep} gives the deep-VPT graph of the same weights.
   */
  public static VitSpec demo(boolean deep) {
    return new VitSpec(
        deep ? "demo-vit-deep" : "demo-vit",
        64,
        64,
        8,
        96,
        4,
        3,
        4,
        8,
        deep,
        1e-6f,
        IMAGENET_MEAN,
        IMAGENET_STD);
  }

  /** L, the number of prompt layers: {@code depth} for deep VPT, 1 for shallow. */
  public int promptLayers() {
    return deep ? depth : 1;
  }

  /** Hp, patch rows. */
  public int gridHeight() {
    return inputHeight / patchSize;
  }

  /** Wp, patch columns. */
  public int gridWidth() {
    return inputWidth / patchSize;
  }

  /** N = Hp·Wp, the number of patch tokens. */
  public int patchTokens() {
    return gridHeight() * gridWidth();
  }

  /** T = P + N, the tokens every block sees (prompt tokens first). */
  public int tokens() {
    return promptTokens + patchTokens();
  }

  /** D / heads, the width of one attention head. */
  public int headDim() {
    return embedDim / heads;
  }

  /** D · mlpRatio, the MLP's hidden width. */
  public int hiddenDim() {
    return embedDim * mlpRatio;
  }

  /** A copy of the per-channel mean. */
  @Override
  public float[] normalizationMean() {
    return normalizationMean.clone();
  }

  /** A copy of the per-channel standard deviation. */
  @Override
  public float[] normalizationStd() {
    return normalizationStd.clone();
  }

  /** Equal when every field is, comparing the normalization arrays by content. */
  @Override
  public boolean equals(Object other) {
    return other instanceof VitSpec o
        && name.equals(o.name)
        && inputHeight == o.inputHeight
        && inputWidth == o.inputWidth
        && patchSize == o.patchSize
        && embedDim == o.embedDim
        && depth == o.depth
        && heads == o.heads
        && mlpRatio == o.mlpRatio
        && promptTokens == o.promptTokens
        && deep == o.deep
        && Float.compare(layerNormEpsilon, o.layerNormEpsilon) == 0
        && Arrays.equals(normalizationMean, o.normalizationMean)
        && Arrays.equals(normalizationStd, o.normalizationStd);
  }

  /** Hash consistent with {@link #equals(Object)}. */
  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        inputHeight,
        inputWidth,
        patchSize,
        embedDim,
        depth,
        heads,
        mlpRatio,
        promptTokens,
        deep,
        layerNormEpsilon,
        Arrays.hashCode(normalizationMean),
        Arrays.hashCode(normalizationStd));
  }

  /** The fields, with the normalization arrays spelled out. */
  @Override
  public String toString() {
    return String.format(
        "VitSpec[%s %dx%d patch %d, D %d, depth %d, heads %d, mlp x%d, P %d, %s, eps %s,"
            + " mean %s, std %s]",
        name,
        inputHeight,
        inputWidth,
        patchSize,
        embedDim,
        depth,
        heads,
        mlpRatio,
        promptTokens,
        deep ? "deep" : "shallow",
        layerNormEpsilon,
        Arrays.toString(normalizationMean),
        Arrays.toString(normalizationStd));
  }

  private static String validate(
      String name,
      int height,
      int width,
      int patch,
      int dim,
      int depth,
      int heads,
      int mlpRatio,
      int prompts,
      float epsilon,
      float[] mean,
      float[] std) {
    if (name.isBlank()) {
      return "name is blank";
    }
    int[] positive = {height, width, patch, dim, depth, heads, mlpRatio, prompts};
    String[] names = {
      "inputHeight",
      "inputWidth",
      "patchSize",
      "embedDim",
      "depth",
      "heads",
      "mlpRatio",
      "promptTokens"
    };
    for (int i = 0; i < positive.length; i++) {
      if (positive[i] <= 0) {
        return names[i] + " must be positive, was " + positive[i];
      }
    }
    if (height % patch != 0 || width % patch != 0) {
      return "input " + height + "x" + width + " is not divisible by patchSize " + patch;
    }
    if (dim % heads != 0) {
      return "embedDim " + dim + " is not divisible by heads " + heads;
    }
    if (!(epsilon > 0) || !Float.isFinite(epsilon)) {
      return "layerNormEpsilon must be positive and finite, was " + epsilon;
    }
    if (mean.length != 3 || std.length != 3) {
      return "normalization needs 3 means and 3 stds, got " + mean.length + " and " + std.length;
    }
    for (int c = 0; c < 3; c++) {
      if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
        return "normalization channel " + c + " has mean " + mean[c] + " and std " + std[c];
      }
    }
    return null;
  }
}
