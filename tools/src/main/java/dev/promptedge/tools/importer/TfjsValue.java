package dev.promptedge.tools.importer;

import java.util.Arrays;

/**
 * What one TF.js node output became during conversion: a constant (folded, row-major in its logical
 * TF shape) or a graph tensor with its logical shape and layout ({@code perm}: physical axis i
 * holds logical axis {@code perm[i]}, so Transpose nodes cost nothing), or unknown (behind an op
 * the converter does not know). Immutable.
 */
final class TfjsValue {

  final int tensor;
  final int[] shape;
  final int[] perm;
  final double[] data;
  final boolean integer;

  /** Logical {before, after} pads of a -inf PadV2 not yet emitted (max pooling takes them). */
  final int[] pendingPads;

  private TfjsValue(
      int tensor, int[] shape, int[] perm, double[] data, boolean integer, int[] pendingPads) {
    this.tensor = tensor;
    this.shape = shape;
    this.perm = perm;
    this.data = data;
    this.integer = integer;
    this.pendingPads = pendingPads;
  }

  static TfjsValue constant(int[] shape, double[] data, boolean integer) {
    if (Arrays4.size(shape) != data.length) {
      throw new ImportException(
          "constant of shape " + Arrays.toString(shape) + " holds " + data.length + " values");
    }
    return new TfjsValue(-1, shape.clone(), null, data, integer, null);
  }

  static TfjsValue tensor(int tensor, int[] shape, int[] perm) {
    return new TfjsValue(tensor, shape.clone(), perm.clone(), null, false, null);
  }

  /** The output of an op the converter does not know, held by CUSTOM placeholder tensor t. */
  static TfjsValue unknown(int tensor) {
    return new TfjsValue(tensor, new int[0], new int[0], null, true, null);
  }

  TfjsValue withPendingPads(int[] pads) {
    return new TfjsValue(tensor, shape, perm, data, integer, pads.clone());
  }

  boolean isConstant() {
    return data != null;
  }

  boolean isUnknown() {
    return data == null && integer;
  }

  int rank() {
    return shape.length;
  }

  /** The physical shape of a tensor value. */
  int[] physical() {
    return Arrays4.permute(shape, perm);
  }

  int[] ints() {
    int[] out = new int[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) Math.round(data[i]);
    }
    return out;
  }

  float[] floats() {
    float[] out = new float[data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) data[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return isConstant()
        ? "const" + Arrays.toString(shape)
        : "tensor " + tensor + Arrays.toString(shape) + " perm " + Arrays.toString(perm);
  }
}
