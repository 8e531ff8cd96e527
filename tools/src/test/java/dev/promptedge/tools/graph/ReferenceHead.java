package dev.promptedge.tools.graph;

import dev.promptedge.format.TaskKind;

/**
 * A linear task head's math in plain Java with double accumulation, written from the definition
 * rather than from {@link HeadBuilder}, to check head models against.
 */
public final class ReferenceHead {

  private ReferenceHead() {}

  /**
   * Applies the head to {@code features} [B, gridH, gridW, D] (row-major): detection and
   * segmentation give [B, gridH, gridW, O] (the same linear map per cell), classification gives [B,
   * O] (the grid mean, then the linear map).
   */
  public static float[] apply(
      TaskKind kind,
      HeadWeights weights,
      float[] features,
      int batch,
      int gridH,
      int gridW,
      int dim) {
    ReferenceVit.requireLength("features", features, batch * gridH * gridW * dim);
    float[] weight = weights.weight();
    float[] bias = weights.bias();
    int cells = gridH * gridW;
    int outputs = weights.outputs();
    switch (kind) {
      case DETECTION, SEGMENTATION -> {
        float[] out = new float[batch * cells * outputs];
        for (int cell = 0; cell < batch * cells; cell++) {
          double[] x = new double[dim];
          for (int c = 0; c < dim; c++) {
            x[c] = features[cell * dim + c];
          }
          double[] y = ReferenceVit.linear(x, weight, bias);
          for (int o = 0; o < outputs; o++) {
            out[cell * outputs + o] = (float) y[o];
          }
        }
        return out;
      }
      case CLASSIFICATION -> {
        float[] out = new float[batch * outputs];
        for (int b = 0; b < batch; b++) {
          double[] pooled = new double[dim];
          for (int cell = 0; cell < cells; cell++) {
            for (int c = 0; c < dim; c++) {
              pooled[c] += features[(b * cells + cell) * dim + c];
            }
          }
          for (int c = 0; c < dim; c++) {
            pooled[c] /= cells;
          }
          double[] y = ReferenceVit.linear(pooled, weight, bias);
          for (int o = 0; o < outputs; o++) {
            out[b * outputs + o] = (float) y[o];
          }
        }
        return out;
      }
      default -> throw new IllegalArgumentException("No head for task kind " + kind);
    }
  }
}
