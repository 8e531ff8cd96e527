package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;

/**
 * RESIZE_BILINEAR as two interpolation matrices (rows, then columns) built at compile time with
 * TFLite's source coordinates (align_corners, half_pixel_centers), so it is one matrix product per
 * axis and differentiable. Needs a static input height and width.
 */
final class ResizeKernels {

  private ResizeKernels() {}

  static Kernel compile(KernelContext c) {
    ResizeBilinearOptionsT o = (ResizeBilinearOptionsT) c.node().options();
    boolean align = o != null && o.getAlignCorners();
    boolean half = o != null && o.getHalfPixelCenters();
    int[] in = c.inputShape(0);
    int[] size = c.ints(1);
    if (in[1] <= 0 || in[2] <= 0) {
      throw c.unsupported("its input height and width must be static, got dynamic ones");
    }
    int outH = size[0];
    int outW = size[1];
    // rows: [outH, inH] applied from the right as its transpose [inH, outH]; same for columns.
    NDArray rowsT = c.keep(transposed(matrix(in[1], outH, align, half), outH, in[1]), in[1], outH);
    NDArray colsT = c.keep(transposed(matrix(in[2], outW, align, half), outW, in[2]), in[2], outW);
    return x -> {
      // [N, H, W, C] -> [N, W, C, H] · rowsT -> [N, W, C, outH]
      NDArray r = x[0].transpose(0, 2, 3, 1).matMul(rowsT);
      // -> [N, outH, C, W] · colsT -> [N, outH, C, outW] -> [N, outH, outW, C]
      return r.transpose(0, 3, 2, 1).matMul(colsT).transpose(0, 1, 3, 2);
    };
  }

  /** Interpolation weights [out, in] of one axis, as TFLite's reference kernel computes them. */
  static double[] matrix(int in, int out, boolean align, boolean half) {
    float scale = align && out > 1 ? (float) (in - 1) / (out - 1) : (float) in / out;
    double[] m = new double[out * in];
    for (int o = 0; o < out; o++) {
      float source = half ? (o + 0.5f) * scale - 0.5f : o * scale;
      float floor = (float) Math.floor(source);
      int lower = Math.max((int) floor, 0);
      int upper = Math.min((int) Math.ceil(source), in - 1);
      float frac = source - lower;
      m[o * in + lower] += 1 - frac;
      m[o * in + upper] += frac;
    }
    return m;
  }

  private static double[] transposed(double[] m, int rows, int cols) {
    double[] t = new double[m.length];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < cols; k++) {
        t[k * rows + r] = m[r * cols + k];
      }
    }
    return t;
  }
}
