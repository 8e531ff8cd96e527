package dev.promptedge.runtime.tflite;

import static org.tensorflow.lite.schema.BuiltinOperator.*;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Op;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.TensorType;

/**
 * Per allow-listed operator: the number of inputs and outputs (and which may be absent), the type
 * of its builtin options, and the output shape inferred from the input shapes and constant
 * operands, which must equal the declared output. With every shape the interpreter sees following
 * from the inputs, no kernel is told to read or write outside what the shapes say.
 */
final class OpShapes {

  /** Most dimensions TFLite's RESHAPE options hold. */
  static final int MAX_RESHAPE_RANK = 8;

  private OpShapes() {}

  static String names(Set<Integer> operators) {
    Set<String> names = new TreeSet<>();
    for (int op : operators) {
      names.add(BuiltinOperator.name(op));
    }
    return String.join(", ", names);
  }

  static void check(Op op, List<Tensor> in, List<Tensor> out) {
    OpCheck c = new OpCheck(op, in, out);
    if (c.outputCount() != 1) {
      throw c.fail("has " + out.size() + " outputs; it must have one");
    }
    switch (op.builtin()) {
      case LOGISTIC, TANH, RSQRT, RELU, RELU6, HARD_SWISH -> unary(c, BuiltinOptions.NONE, true);
      case SOFTMAX -> unary(c, BuiltinOptions.SoftmaxOptions, true);
      case QUANTIZE -> unary(c, BuiltinOptions.QuantizeOptions, false);
      case DEQUANTIZE -> unary(c, BuiltinOptions.DequantizeOptions, false);
      case ADD -> binary(c, BuiltinOptions.AddOptions);
      case SUB -> binary(c, BuiltinOptions.SubOptions);
      case MUL -> binary(c, BuiltinOptions.MulOptions);
      case DIV -> binary(c, BuiltinOptions.DivOptions);
      case SQUARED_DIFFERENCE -> binary(c, BuiltinOptions.SquaredDifferenceOptions);
      case FULLY_CONNECTED -> LinearOpShapes.fullyConnected(c);
      case CONV_2D -> LinearOpShapes.conv(c, false);
      case DEPTHWISE_CONV_2D -> LinearOpShapes.conv(c, true);
      case AVERAGE_POOL_2D, MAX_POOL_2D -> LinearOpShapes.pool(c);
      case RESHAPE -> reshape(c);
      case MEAN -> mean(c);
      case CONCATENATION -> concatenation(c);
      case TRANSPOSE -> transpose(c);
      case BATCH_MATMUL -> LinearOpShapes.batchMatmul(c);
      case STRIDED_SLICE -> StridedSlices.check(c);
      case PAD -> pad(c);
      case RESIZE_BILINEAR -> resize(c);
      default -> throw c.fail("has no shape check");
    }
  }

  private static void unary(OpCheck c, byte options, boolean sameType) {
    c.inputs(1, 1);
    c.options(options, true);
    if (sameType) {
      c.sameType(c.input(0), c.output());
    } else if (c.input(0).type() == c.output().type()
        && c.output().type() != TensorType.INT8
        && c.output().type() != TensorType.UINT8) {
      throw c.fail("converts " + TensorChecks.typeName(c.input(0).type()) + " to itself");
    }
    c.expect(c.input(0).shape());
  }

  private static void binary(OpCheck c, byte options) {
    c.inputs(2, 2);
    c.fusedActivation(c.options(options, true), 0);
    c.sameType(c.input(0), c.input(1));
    c.sameType(c.input(0), c.output());
    int[] a = c.input(0).shape();
    int[] b = c.input(1).shape();
    if (Math.max(a.length, b.length) > 5) {
      throw c.fail("broadcasts beyond rank 5");
    }
    c.expect(c.broadcast(a, b));
  }

  private static void reshape(OpCheck c) {
    c.inputs(1, 2);
    FlatTable options = c.options(BuiltinOptions.ReshapeOptions, true);
    c.sameType(c.input(0), c.output());
    int[] target;
    if (options != null && options.vectorLength(0, 4, "new shape") > MAX_RESHAPE_RANK) {
      throw c.fail("has a new shape of more than " + MAX_RESHAPE_RANK + " dimensions");
    }
    if (c.inputCount() == 2 && c.input(1) != null) {
      Tensor shape = c.input(1);
      c.rank(shape, 1, 1);
      target = c.constantInts(shape, "shape");
    } else if (options != null) {
      target = options.ints(0, "new shape");
    } else {
      throw c.fail("has neither a shape tensor nor a new shape");
    }
    long elements = TensorChecks.elements(c.input(0).shape());
    int free = -1;
    long known = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1 && free < 0) {
        free = i;
      } else if (target[i] < 1) {
        throw c.fail("has target shape " + Arrays.toString(target));
      } else {
        known *= target[i];
        if (known > elements) {
          break;
        }
      }
    }
    int[] shape = target.clone();
    if (free >= 0 && known <= elements && elements % known == 0) {
      shape[free] = (int) (elements / known);
      known = elements;
    }
    if (known != elements) {
      throw c.fail(
          "reshapes "
              + Arrays.toString(c.input(0).shape())
              + " to "
              + Arrays.toString(target)
              + ": the element counts differ");
    }
    c.expect(shape);
  }

  private static void mean(OpCheck c) {
    c.inputs(2, 2);
    boolean keepDims = c.options(BuiltinOptions.ReducerOptions, false).getBool(0);
    c.sameType(c.input(0), c.output());
    int[] xs = c.input(0).shape();
    c.rank(c.input(1), 0, 1);
    boolean[] reduced = new boolean[xs.length];
    for (int axis : c.constantInts(c.input(1), "axis")) {
      if (axis < -xs.length || axis >= xs.length) {
        throw c.fail("reduces axis " + axis + " of a rank-" + xs.length + " input");
      }
      reduced[axis < 0 ? axis + xs.length : axis] = true;
    }
    int[] shape = new int[xs.length];
    int n = 0;
    for (int i = 0; i < xs.length; i++) {
      if (!reduced[i]) {
        shape[n++] = xs[i];
      } else if (keepDims) {
        shape[n++] = 1;
      }
    }
    c.expect(Arrays.copyOf(shape, n));
  }

  private static void concatenation(OpCheck c) {
    if ((c.inputCount() == 0) || c.inputList().contains(null)) {
      throw c.fail("needs at least one input and no absent ones");
    }
    FlatTable options = c.options(BuiltinOptions.ConcatenationOptions, false);
    c.fusedActivation(options, 1);
    int[] first = c.input(0).shape();
    int axis = options.getInt(0, 0);
    if (first.length == 0 || axis < -first.length || axis >= first.length) {
      throw c.fail("concatenates along axis " + axis + " of rank " + first.length);
    }
    axis = axis < 0 ? axis + first.length : axis;
    int[] shape = first.clone();
    long total = 0;
    for (Tensor t : c.inputList()) {
      c.sameType(t, c.output());
      int[] s = t.shape();
      boolean fits = s.length == first.length;
      for (int i = 0; fits && i < s.length; i++) {
        fits = i == axis || s[i] == first[i];
      }
      if (!fits) {
        throw c.fail(
            "cannot join "
                + Arrays.toString(s)
                + " to "
                + Arrays.toString(first)
                + " on axis "
                + axis);
      }
      total += s[axis];
    }
    if (total > Integer.MAX_VALUE) {
      throw c.fail("joins too many elements");
    }
    shape[axis] = (int) total;
    c.expect(shape);
  }

  private static void transpose(OpCheck c) {
    c.inputs(2, 2);
    c.options(BuiltinOptions.TransposeOptions, true);
    c.sameType(c.input(0), c.output());
    int[] xs = c.input(0).shape();
    c.rank(c.input(0), 1, 5);
    int[] perm = c.constantInts(c.input(1), "permutation");
    if (perm.length != xs.length) {
      throw c.fail("has permutation " + Arrays.toString(perm) + " for rank " + xs.length);
    }
    boolean[] seen = new boolean[xs.length];
    int[] shape = new int[xs.length];
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] < 0 || perm[i] >= xs.length || seen[perm[i]]) {
        throw c.fail("has permutation " + Arrays.toString(perm) + ", not a permutation");
      }
      seen[perm[i]] = true;
      shape[i] = xs[perm[i]];
    }
    c.expect(shape);
  }

  private static void pad(OpCheck c) {
    c.inputs(2, 2);
    c.options(BuiltinOptions.PadOptions, true);
    c.sameType(c.input(0), c.output());
    int[] xs = c.input(0).shape();
    c.rank(c.input(0), 1, 4);
    int[] paddings = c.constantInts(c.input(1), "paddings");
    if (!Arrays.equals(c.input(1).shape(), new int[] {xs.length, 2})) {
      throw c.fail(
          "needs paddings [" + xs.length + ", 2], has " + Arrays.toString(c.input(1).shape()));
    }
    int[] shape = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      long d = (long) xs[i] + paddings[2 * i] + paddings[2 * i + 1];
      if (paddings[2 * i] < 0 || paddings[2 * i + 1] < 0 || d > Integer.MAX_VALUE) {
        throw c.fail("has paddings " + Arrays.toString(paddings));
      }
      shape[i] = (int) d;
    }
    c.expect(shape);
  }

  private static void resize(OpCheck c) {
    c.inputs(2, 2);
    FlatTable options = c.options(BuiltinOptions.ResizeBilinearOptions, false);
    if (options.getBool(2) && options.getBool(3)) {
      throw c.fail("sets both align_corners and half_pixel_centers");
    }
    c.sameType(c.input(0), c.output());
    c.rank(c.input(0), 4, 4);
    int[] size = c.constantInts(c.input(1), "size");
    if (size.length != 2 || size[0] < 1 || size[1] < 1) {
      throw c.fail("has size " + Arrays.toString(size));
    }
    int[] xs = c.input(0).shape();
    c.expect(new int[] {xs[0], size[0], size[1], xs[3]});
  }

  /** The longest check, STRIDED_SLICE with begin, end and stride constants and masks. */
  private static final class StridedSlices {
    private StridedSlices() {}

    static void check(OpCheck c) {
      c.inputs(4, 4);
      FlatTable options = c.options(BuiltinOptions.StridedSliceOptions, false);
      int beginMask = options.getInt(0, 0);
      int endMask = options.getInt(1, 0);
      int shrinkMask = options.getInt(4, 0);
      if (options.getInt(2, 0) != 0 || options.getInt(3, 0) != 0 || options.getBool(5)) {
        throw new ModelCheckException(
            Reason.UNSUPPORTED,
            c.op().label() + " uses an ellipsis, new-axis or offset mask, not run here");
      }
      c.sameType(c.input(0), c.output());
      int[] xs = c.input(0).shape();
      c.rank(c.input(0), 1, 5);
      int[] begin = c.constantInts(c.input(1), "begin");
      int[] end = c.constantInts(c.input(2), "end");
      int[] strides = c.constantInts(c.input(3), "strides");
      if (begin.length != xs.length || end.length != xs.length || strides.length != xs.length) {
        throw c.fail("needs begin, end and strides of " + xs.length + " values");
      }
      int[] shape = new int[xs.length];
      int n = 0;
      for (int i = 0; i < xs.length; i++) {
        int s = strides[i];
        int dim = xs[i];
        if (s == 0) {
          throw c.fail("has stride 0 on axis " + i);
        }
        long b = bound((beginMask >> i & 1) != 0, begin[i], dim, s, true);
        long e = bound((endMask >> i & 1) != 0, end[i], dim, s, false);
        boolean shrink = (shrinkMask >> i & 1) != 0;
        if (shrink) {
          long at = begin[i] < 0 ? (long) begin[i] + dim : begin[i];
          if (at < 0 || at >= dim) {
            throw c.fail("takes index " + begin[i] + " of axis " + i + " of size " + dim);
          }
          continue;
        }
        long length = s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s;
        if (length < 1) {
          throw c.fail("selects nothing on axis " + i);
        }
        shape[n++] = (int) length;
      }
      c.expect(Arrays.copyOf(shape, n));
    }

    /** TFLite's clamped start or stop index of one axis. */
    private static long bound(boolean masked, int value, int dim, int stride, boolean begin) {
      if (masked) {
        return stride > 0 ? (begin ? 0 : dim) : (begin ? dim - 1 : -1);
      }
      long v = value < 0 ? (long) value + dim : value;
      return stride > 0 ? Math.max(0, Math.min(v, dim)) : Math.max(-1, Math.min(v, dim - 1));
    }
  }
}
