package dev.promptedge.runtime.onnx;

/**
 * Row-major arrays: strides and axis permutation of constant data, shared by the importer and the
 * ONNX converter. Stateless and thread-safe.
 */
public final class RowMajor {

  private RowMajor() {}

  /** Elements between neighbours along each axis of a row-major array of {@code shape}. */
  public static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = stride;
      stride *= shape[i];
    }
    return s;
  }

  /** Transposes row-major {@code data} of {@code shape}: output axis i is input axis perm[i]. */
  public static float[] transpose(float[] data, int[] shape, int[] perm) {
    int[] order = order(shape, perm);
    float[] out = new float[order.length];
    for (int o = 0; o < out.length; o++) {
      out[o] = data[order[o]];
    }
    return out;
  }

  /** {@link #transpose(float[], int[], int[])} of one-byte values, such as int8 weights. */
  public static byte[] transpose(byte[] data, int[] shape, int[] perm) {
    int[] order = order(shape, perm);
    byte[] out = new byte[order.length];
    for (int o = 0; o < out.length; o++) {
      out[o] = data[order[o]];
    }
    return out;
  }

  /** For each element of the transposed array, its index in the row-major source array. */
  private static int[] order(int[] shape, int[] perm) {
    int rank = shape.length;
    int[] outShape = new int[rank];
    int size = 1;
    for (int i = 0; i < rank; i++) {
      outShape[i] = shape[perm[i]];
      size *= shape[i];
    }
    int[] inStrides = strides(shape);
    int[] order = new int[size];
    int[] index = new int[rank];
    for (int o = 0; o < size; o++) {
      int in = 0;
      for (int i = 0; i < rank; i++) {
        in += index[i] * inStrides[perm[i]];
      }
      order[o] = in;
      for (int i = rank - 1; i >= 0; i--) {
        if (++index[i] < outShape[i]) {
          break;
        }
        index[i] = 0;
      }
    }
    return order;
  }
}
