package dev.promptedge.tools.graph;

import java.util.Random;

/**
 * The weights of one depthwise-separable residual head block on D channels: a 3×3 depthwise filter
 * [1, 3, 3, D] and bias [D] (SAME, stride 1, fused RELU6), a 1×1 pointwise kernel [D, 1, 1, D]
 * (OHWI) and bias [D], and the block's input added back. Immutable: arrays are copied in and out.
 *
 * @param dim D, the feature width the block keeps
 * @param depthwise [1, 3, 3, D]
 * @param depthwiseBias [D]
 * @param pointwise [D, 1, 1, D]
 * @param pointwiseBias [D]
 */
public record ConvBlockWeights(
    int dim, float[] depthwise, float[] depthwiseBias, float[] pointwise, float[] pointwiseBias) {

  /** Side of the depthwise filter. */
  public static final int KERNEL = 3;

  /** Validates the sizes and copies the arrays. */
  public ConvBlockWeights {
    if (dim <= 0) {
      throw new IllegalArgumentException("Conv block needs a positive dim, got " + dim);
    }
    VitWeights.checkLength("depthwise filter [1, 3, 3, " + dim + "]", depthwise, 9 * dim);
    VitWeights.checkLength("depthwise bias [" + dim + "]", depthwiseBias, dim);
    VitWeights.checkLength(
        "pointwise kernel [" + dim + ", 1, 1, " + dim + "]",
        pointwise,
        Math.multiplyExact(dim, dim));
    VitWeights.checkLength("pointwise bias [" + dim + "]", pointwiseBias, dim);
    depthwise = depthwise.clone();
    depthwiseBias = depthwiseBias.clone();
    pointwise = pointwise.clone();
    pointwiseBias = pointwiseBias.clone();
  }

  /**
   * Deterministic random weights: depthwise N(0, 1/9), pointwise N(0, 0.1²/D) so that a new block
   * starts close to the identity (the residual carries the features), biases zero.
   */
  public static ConvBlockWeights random(int dim, long seed) {
    Random random = new Random(seed);
    float[] depthwise = VitWeights.normal(random, 9 * dim, 0, 1 / 3.0);
    float[] pointwise =
        VitWeights.normal(random, Math.multiplyExact(dim, dim), 0, 0.1 / Math.sqrt(dim));
    return new ConvBlockWeights(dim, depthwise, new float[dim], pointwise, new float[dim]);
  }

  /** A copy of the depthwise filter. */
  @Override
  public float[] depthwise() {
    return depthwise.clone();
  }

  /** A copy of the depthwise bias. */
  @Override
  public float[] depthwiseBias() {
    return depthwiseBias.clone();
  }

  /** A copy of the pointwise kernel. */
  @Override
  public float[] pointwise() {
    return pointwise.clone();
  }

  /** A copy of the pointwise bias. */
  @Override
  public float[] pointwiseBias() {
    return pointwiseBias.clone();
  }
}
