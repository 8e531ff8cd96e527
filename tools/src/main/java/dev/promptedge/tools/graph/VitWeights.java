package dev.promptedge.tools.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * All weights of a {@link VitSpec} backbone, row-major float32. With D = embedDim, p = patchSize
 * and N = gridHeight · gridWidth: patch-embedding kernel [D, p, p, 3] (OHWI) and bias [D], position
 * embedding [N, D] for the patch tokens (prompt tokens get none), one {@link VitBlockWeights} per
 * block, and the final layer norm's gamma and beta [D].
 *
 * <p>Immutable: the constructor copies every array and the accessors return copies.
 *
 * @param patchKernel patch-embedding convolution kernel, [D, p, p, 3]
 * @param patchBias patch-embedding bias, [D]
 * @param positionEmbedding learned position embedding of the patch tokens, [N, D]
 * @param blocks one entry per transformer block, in order
 * @param finalGamma scale of the final layer norm, [D]
 * @param finalBeta shift of the final layer norm, [D]
 */
public record VitWeights(
    float[] patchKernel,
    float[] patchBias,
    float[] positionEmbedding,
    List<VitBlockWeights> blocks,
    float[] finalGamma,
    float[] finalBeta) {

  /** Copies every array and the block list. */
  public VitWeights {
    patchKernel = patchKernel.clone();
    patchBias = patchBias.clone();
    positionEmbedding = positionEmbedding.clone();
    blocks = List.copyOf(blocks);
    finalGamma = finalGamma.clone();
    finalBeta = finalBeta.clone();
  }

  /**
   * Deterministic random weights for {@code spec}: the same seed gives the same values on every JVM
   * ({@link Random}'s algorithm is specified). Matrices are N(0, 1/fan_in), position embeddings
   * N(0, 0.02²), biases and betas N(0, 0.02²), gammas 1 + N(0, 0.05²), so that activations stay
   * near unit scale and every parameter matters to the output.
   */
  public static VitWeights random(VitSpec spec, long seed) {
    Random random = new Random(seed);
    int d = spec.embedDim();
    int h = spec.hiddenDim();
    int p = spec.patchSize();
    float[] kernel = normal(random, d * p * p * 3, 0, 1 / Math.sqrt(p * p * 3));
    float[] bias = normal(random, d, 0, 0.02);
    float[] position = normal(random, spec.patchTokens() * d, 0, 0.02);
    List<VitBlockWeights> blocks = new ArrayList<>();
    for (int l = 0; l < spec.depth(); l++) {
      blocks.add(
          new VitBlockWeights(
              normal(random, d, 1, 0.05),
              normal(random, d, 0, 0.02),
              normal(random, d * d, 0, 1 / Math.sqrt(d)),
              normal(random, d, 0, 0.02),
              normal(random, d * d, 0, 1 / Math.sqrt(d)),
              normal(random, d, 0, 0.02),
              normal(random, d * d, 0, 1 / Math.sqrt(d)),
              normal(random, d, 0, 0.02),
              normal(random, d * d, 0, 1 / Math.sqrt(d)),
              normal(random, d, 0, 0.02),
              normal(random, d, 1, 0.05),
              normal(random, d, 0, 0.02),
              normal(random, h * d, 0, 1 / Math.sqrt(d)),
              normal(random, h, 0, 0.02),
              normal(random, d * h, 0, 1 / Math.sqrt(h)),
              normal(random, d, 0, 0.02)));
    }
    return new VitWeights(
        kernel, bias, position, blocks, normal(random, d, 1, 0.05), normal(random, d, 0, 0.02));
  }

  /**
   * Throws {@link IllegalArgumentException} naming the first array that does not fit {@code spec}.
   */
  public void requireFits(VitSpec spec) {
    int d = spec.embedDim();
    int p = spec.patchSize();
    checkLength("patchKernel", patchKernel, d * p * p * 3);
    checkLength("patchBias", patchBias, d);
    checkLength("positionEmbedding", positionEmbedding, spec.patchTokens() * d);
    if (blocks.size() != spec.depth()) {
      throw new IllegalArgumentException(
          "Weights have " + blocks.size() + " blocks but spec depth is " + spec.depth());
    }
    for (int l = 0; l < blocks.size(); l++) {
      blocks.get(l).checkShapes(spec, l);
    }
    checkLength("finalGamma", finalGamma, d);
    checkLength("finalBeta", finalBeta, d);
  }

  /** A copy of the patch-embedding kernel, [D, p, p, 3]. */
  @Override
  public float[] patchKernel() {
    return patchKernel.clone();
  }

  /** A copy of the patch-embedding bias, [D]. */
  @Override
  public float[] patchBias() {
    return patchBias.clone();
  }

  /** A copy of the position embedding, [N, D]. */
  @Override
  public float[] positionEmbedding() {
    return positionEmbedding.clone();
  }

  /** A copy of the final layer norm's scale, [D]. */
  @Override
  public float[] finalGamma() {
    return finalGamma.clone();
  }

  /** A copy of the final layer norm's shift, [D]. */
  @Override
  public float[] finalBeta() {
    return finalBeta.clone();
  }

  static void checkLength(String name, float[] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(
          name + " has " + values.length + " values, the spec needs " + expected);
    }
  }

  static float[] normal(Random random, int size, double mean, double std) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (mean + std * random.nextGaussian());
    }
    return values;
  }
}
