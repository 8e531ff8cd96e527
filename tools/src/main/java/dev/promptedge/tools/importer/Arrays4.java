package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.util.Arrays;

/** Row-major array helpers for folding constants: sizes, n-d transposes, broadcasting. */
final class Arrays4 {

  private Arrays4() {}

  static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, Math.max(d, 0));
    }
    return n;
  }

  static int[] identity(int rank) {
    int[] p = new int[rank];
    for (int i = 0; i < rank; i++) {
      p[i] = i;
    }
    return p;
  }

  static int indexOf(int[] values, int value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** {@code out[i] = shape[perm[i]]}. */
  static int[] permute(int[] shape, int[] perm) {
    int[] out = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      out[i] = shape[perm[i]];
    }
    return out;
  }

  static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /** {@code shape} left-padded with ones to {@code rank}. */
  static int[] padLeft(int[] shape, int rank) {
    int[] out = new int[rank];
    Arrays.fill(out, 1);
    System.arraycopy(shape, 0, out, rank - shape.length, shape.length);
    return out;
  }

  /** NumPy broadcast of two shapes, or null when they do not broadcast. */
  static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] pa = padLeft(a, rank);
    int[] pb = padLeft(b, rank);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      if (pa[i] == pb[i] || pb[i] == 1) {
        out[i] = pa[i];
      } else if (pa[i] == 1) {
        out[i] = pb[i];
      } else {
        return null;
      }
    }
    return out;
  }

  /** Broadcasts {@code data} of {@code shape} to {@code target} (same rank or lower). */
  static double[] expand(double[] data, int[] shape, int[] target) {
    int[] s = padLeft(shape, target.length);
    int[] strides = RowMajor.strides(s);
    double[] out = new double[size(target)];
    int[] index = new int[target.length];
    for (int o = 0; o < out.length; o++) {
      int in = 0;
      for (int i = 0; i < target.length; i++) {
        in += (s[i] == 1 ? 0 : index[i]) * strides[i];
      }
      out[o] = data[in];
      for (int i = target.length - 1; i >= 0; i--) {
        if (++index[i] < target[i]) {
          break;
        }
        index[i] = 0;
      }
    }
    return out;
  }
}
