package dev.promptedge.tools.graph;

import java.util.Random;

/**
 * The weights of a linear task head: {@code weight} [O, D] in FULLY_CONNECTED layout ([out, in])
 * and {@code bias} [O], row-major float32. Immutable: the constructor copies the arrays and the
 * accessors return copies.
 *
 * @param outputs O, the head's output width (C + 5 for detection, C otherwise)
 * @param dim D, the backbone's feature width
 * @param weight [O, D]
 * @param bias [O]
 */
public record HeadWeights(int outputs, int dim, float[] weight, float[] bias) {

  /** Validates the sizes and copies the arrays. */
  public HeadWeights {
    if (outputs <= 0 || dim <= 0) {
      throw new IllegalArgumentException(
          "Head needs positive outputs and dim, got " + outputs + " and " + dim);
    }
    VitWeights.checkLength("head weight [" + outputs + ", " + dim + "]", weight, outputs * dim);
    VitWeights.checkLength("head bias [" + outputs + "]", bias, outputs);
    weight = weight.clone();
    bias = bias.clone();
  }

  /**
   * Deterministic random weights (same seed, same values on every JVM): weight N(0, 1/D), bias N(0,
   * 0.1²).
   */
  public static HeadWeights random(int outputs, int dim, long seed) {
    Random random = new Random(seed);
    float[] weight =
        VitWeights.normal(random, Math.multiplyExact(outputs, dim), 0, 1 / Math.sqrt(dim));
    float[] bias = VitWeights.normal(random, outputs, 0, 0.1);
    return new HeadWeights(outputs, dim, weight, bias);
  }

  /** A copy of the weight, [O, D]. */
  @Override
  public float[] weight() {
    return weight.clone();
  }

  /** A copy of the bias, [O]. */
  @Override
  public float[] bias() {
    return bias.clone();
  }
}
