package dev.promptedge.runtime.tflite;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Op;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.TensorType;

/**
 * One operator under check, with its input and output tensors at hand, and the small checks every
 * operator's shape rule is made of: input counts, option types, element types, ranks, constant
 * operands and the comparison of an inferred output shape with the declared one.
 */
final class OpCheck {

  /** Most values of a shape, axis, permutation, padding or slice operand. */
  static final int MAX_OPERAND_VALUES = 64;

  private final Op op;
  private final List<Tensor> in;
  private final List<Tensor> out;

  OpCheck(Op op, List<Tensor> in, List<Tensor> out) {
    this.op = op;
    this.in = in;
    this.out = out;
  }

  int inputCount() {
    return in.size();
  }

  List<Tensor> inputList() {
    return in;
  }

  int outputCount() {
    return out.size();
  }

  Op op() {
    return op;
  }

  Tensor input(int i) {
    return in.get(i);
  }

  Tensor output() {
    return out.get(0);
  }

  ModelCheckException fail(String what) {
    return new ModelCheckException(Reason.INCONSISTENT, op.label() + " " + what);
  }

  void inputs(int min, int max) {
    if (in.size() < min || in.size() > max) {
      throw fail("has " + in.size() + " inputs; it takes " + min + (min == max ? "" : ".." + max));
    }
    for (int i = 0; i < min; i++) {
      if (in.get(i) == null) {
        throw fail("has no input " + i + "; only optional inputs may be -1");
      }
    }
  }

  /** Requires options of {@code type}; {@code optional} also accepts none. */
  FlatTable options(byte type, boolean optional) {
    if (op.optionsType() == type && (type != BuiltinOptions.NONE) == (op.options() != null)) {
      return op.options();
    }
    if (optional && op.optionsType() == BuiltinOptions.NONE) {
      return null;
    }
    throw fail(
        "has builtin options of type "
            + op.optionsType()
            + "; it needs "
            + (type == BuiltinOptions.NONE ? "none" : BuiltinOptions.name(type)));
  }

  void expect(int[] shape) {
    if (!Arrays.equals(shape, output().shape())) {
      throw fail(
          "gives "
              + output().label()
              + " as "
              + Arrays.toString(output().shape())
              + " but its inputs make "
              + Arrays.toString(shape));
    }
  }

  void sameType(Tensor a, Tensor b) {
    if (a.type() != b.type()) {
      throw fail(
          "mixes "
              + TensorChecks.typeName(a.type())
              + " "
              + a.label()
              + " with "
              + TensorChecks.typeName(b.type())
              + " "
              + b.label());
    }
  }

  void rank(Tensor t, int min, int max) {
    int r = t.shape().length;
    if (r < min || r > max) {
      throw fail("takes " + t.label() + " of rank " + r + "; it needs rank " + min + ".." + max);
    }
  }

  /** A constant int32 operand, such as a shape, an axis list or a permutation. */
  int[] constantInts(Tensor t, String what) {
    if (t == null
        || !t.constant()
        || t.type() != TensorType.INT32
        || TensorChecks.elements(t.shape()) > MAX_OPERAND_VALUES) {
      throw fail(
          "needs a constant int32 "
              + what
              + " tensor of at most "
              + MAX_OPERAND_VALUES
              + " values");
    }
    int[] values = new int[(int) TensorChecks.elements(t.shape())];
    t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
    return values;
  }

  void fusedActivation(FlatTable options, int slot) {
    byte f = options == null ? 0 : options.getByte(slot, (byte) 0);
    if (f < 0 || f > 3) {
      throw new ModelCheckException(Reason.UNSUPPORTED, op.label() + " has fused activation " + f);
    }
  }

  /** The NumPy broadcast of two shapes. */
  int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] shape = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw fail("cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
      }
      shape[i] = Math.max(da, db);
    }
    return shape;
  }
}
