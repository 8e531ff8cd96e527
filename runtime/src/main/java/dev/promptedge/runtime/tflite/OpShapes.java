package dev.promptedge.runtime.tflite;

import static org.tensorflow.lite.schema.BuiltinOperator.*;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Op;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.nio.ByteOrder;
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

  /** Most values of a shape, axis, permutation, padding or slice operand. */
  static final int MAX_OPERAND_VALUES = 64;

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
    new Check(op, in, out).run();
  }

  /** The checks of one operator, with its inputs and outputs at hand. */
  private static final class Check {
    private final Op op;
    private final List<Tensor> in;
    private final List<Tensor> out;

    Check(Op op, List<Tensor> in, List<Tensor> out) {
      this.op = op;
      this.in = in;
      this.out = out;
    }

    void run() {
      if (out.size() != 1) {
        throw fail("has " + out.size() + " outputs; it must have one");
      }
      switch (op.builtin()) {
        case LOGISTIC, TANH, RSQRT, RELU, RELU6, HARD_SWISH -> unary(BuiltinOptions.NONE, true);
        case SOFTMAX -> unary(BuiltinOptions.SoftmaxOptions, true);
        case QUANTIZE -> unary(BuiltinOptions.QuantizeOptions, false);
        case DEQUANTIZE -> unary(BuiltinOptions.DequantizeOptions, false);
        case ADD -> binary(BuiltinOptions.AddOptions);
        case SUB -> binary(BuiltinOptions.SubOptions);
        case MUL -> binary(BuiltinOptions.MulOptions);
        case DIV -> binary(BuiltinOptions.DivOptions);
        case SQUARED_DIFFERENCE -> binary(BuiltinOptions.SquaredDifferenceOptions);
        case FULLY_CONNECTED -> fullyConnected();
        case CONV_2D -> conv(false);
        case DEPTHWISE_CONV_2D -> conv(true);
        case AVERAGE_POOL_2D, MAX_POOL_2D -> pool();
        case RESHAPE -> reshape();
        case MEAN -> mean();
        case CONCATENATION -> concatenation();
        case TRANSPOSE -> transpose();
        case BATCH_MATMUL -> batchMatmul();
        case STRIDED_SLICE -> StridedSlices.check(this);
        case PAD -> pad();
        case RESIZE_BILINEAR -> resize();
        default -> throw fail("has no shape check");
      }
    }

    // ---- helpers shared with the longer checks ----

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
        throw fail(
            "has " + in.size() + " inputs; it takes " + min + (min == max ? "" : ".." + max));
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
        throw new ModelCheckException(
            Reason.UNSUPPORTED, op.label() + " has fused activation " + f);
      }
    }

    // ---- the operators ----

    private void unary(byte options, boolean sameType) {
      inputs(1, 1);
      options(options, true);
      if (sameType) {
        sameType(input(0), output());
      } else if (input(0).type() == output().type()
          && output().type() != TensorType.INT8
          && output().type() != TensorType.UINT8) {
        throw fail("converts " + TensorChecks.typeName(input(0).type()) + " to itself");
      }
      expect(input(0).shape());
    }

    private void binary(byte options) {
      inputs(2, 2);
      fusedActivation(options(options, true), 0);
      sameType(input(0), input(1));
      sameType(input(0), output());
      int[] a = input(0).shape();
      int[] b = input(1).shape();
      if (Math.max(a.length, b.length) > 5) {
        throw fail("broadcasts beyond rank 5");
      }
      expect(broadcast(a, b));
    }

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

    private void fullyConnected() {
      inputs(2, 3);
      FlatTable options = options(BuiltinOptions.FullyConnectedOptions, false);
      fusedActivation(options, 0);
      if (options.getByte(1, (byte) 0) != 0) {
        throw new ModelCheckException(
            Reason.UNSUPPORTED, op.label() + " uses shuffled weights, not run here");
      }
      boolean keepDims = options.getBool(2);
      Tensor x = input(0);
      Tensor w = input(1);
      rank(x, 1, 5);
      rank(w, 2, 2);
      if (!w.constant()) {
        throw fail("needs constant weights, " + w.label() + " is computed");
      }
      int units = w.shape()[0];
      int depth = w.shape()[1];
      int[] xs = x.shape();
      long elements = TensorChecks.elements(xs);
      if (xs[xs.length - 1] != depth) {
        throw fail(
            "has weights "
                + Arrays.toString(w.shape())
                + " but its input "
                + x.label()
                + " is "
                + Arrays.toString(xs)
                + ": the last dimension must be "
                + depth);
      }
      Tensor bias = in.size() > 2 ? input(2) : null;
      if (bias != null && (!bias.constant() || !Arrays.equals(bias.shape(), new int[] {units}))) {
        throw fail("needs a constant bias of [" + units + "], has " + bias.label());
      }
      weightTypes(x, w, bias);
      int[] shape;
      if (keepDims) {
        shape = xs.clone();
        shape[shape.length - 1] = units;
      } else {
        shape = new int[] {(int) (elements / depth), units};
      }
      expect(shape);
    }

    /** Float or int8 activations; weights of the same type, or int8 under float (hybrid). */
    private void weightTypes(Tensor x, Tensor w, Tensor bias) {
      sameType(x, output());
      boolean floatIn = x.type() == TensorType.FLOAT32;
      boolean ok =
          floatIn
              ? w.type() == TensorType.FLOAT32 || w.type() == TensorType.INT8
              : x.type() == TensorType.INT8 && w.type() == TensorType.INT8;
      byte biasType = floatIn ? TensorType.FLOAT32 : TensorType.INT32;
      int channelAxis = op.builtin() == DEPTHWISE_CONV_2D ? 3 : 0;
      if (w.quantization().scale().length > 1
          && w.quantization().quantizedDimension() != channelAxis) {
        throw fail(
            "has "
                + w.label()
                + " quantized per channel along dimension "
                + w.quantization().quantizedDimension()
                + "; it must be the output channels, dimension "
                + channelAxis);
      }
      for (Tensor activation : List.of(x, output())) {
        if (activation.quantization().scale().length > 1) {
          throw fail(
              "has " + activation.label() + " quantized per channel; activations are per tensor");
        }
      }
      if (!ok || (bias != null && bias.type() != biasType)) {
        throw new ModelCheckException(
            Reason.UNSUPPORTED,
            op.label()
                + " takes "
                + TensorChecks.typeName(x.type())
                + " input with "
                + TensorChecks.typeName(w.type())
                + " weights"
                + (bias == null ? "" : " and " + TensorChecks.typeName(bias.type()) + " bias")
                + ", not a combination run here");
      }
    }

    private void conv(boolean depthwise) {
      inputs(2, 3);
      FlatTable options =
          options(
              depthwise ? BuiltinOptions.DepthwiseConv2DOptions : BuiltinOptions.Conv2DOptions,
              false);
      Tensor x = input(0);
      Tensor filter = input(1);
      rank(x, 4, 4);
      rank(filter, 4, 4);
      if (!filter.constant()) {
        throw fail("needs a constant filter, " + filter.label() + " is computed");
      }
      int[] xs = x.shape();
      int[] fs = filter.shape();
      int channels;
      if (depthwise) {
        int multiplier = options.getInt(3, 0);
        fusedActivation(options, 4);
        if (fs[0] != 1 || multiplier < 1 || (long) xs[3] * multiplier != fs[3]) {
          throw fail(
              "has filter "
                  + Arrays.toString(fs)
                  + " with depth multiplier "
                  + multiplier
                  + " for input "
                  + Arrays.toString(xs)
                  + ": it must be [1, KH, KW, "
                  + xs[3]
                  + " x multiplier]");
        }
        channels = fs[3];
      } else {
        fusedActivation(options, 3);
        if (fs[3] != xs[3]) {
          throw fail(
              "has filter "
                  + Arrays.toString(fs)
                  + " for input "
                  + Arrays.toString(xs)
                  + ": the filter's last dimension must be "
                  + xs[3]);
        }
        channels = fs[0];
      }
      Tensor bias = in.size() > 2 ? input(2) : null;
      if (bias != null
          && (!bias.constant() || !Arrays.equals(bias.shape(), new int[] {channels}))) {
        throw fail("needs a constant bias of [" + channels + "], has " + bias.label());
      }
      weightTypes(x, filter, bias);
      int dilationW = depthwise ? options.getInt(5, 1) : options.getInt(4, 1);
      int dilationH = depthwise ? options.getInt(6, 1) : options.getInt(5, 1);
      int[] hw = window(options, xs, depthwise ? fs[1] : fs[1], fs[2], dilationH, dilationW);
      expect(new int[] {xs[0], hw[0], hw[1], channels});
    }

    private void pool() {
      inputs(1, 1);
      FlatTable options = options(BuiltinOptions.Pool2DOptions, false);
      fusedActivation(options, 5);
      Tensor x = input(0);
      rank(x, 4, 4);
      sameType(x, output());
      int[] xs = x.shape();
      int[] hw = window(options, xs, options.getInt(4, 0), options.getInt(3, 0), 1, 1);
      expect(new int[] {xs[0], hw[0], hw[1], xs[3]});
    }

    /** Output height and width of a window op (padding slot 0, stride w slot 1, h slot 2). */
    private int[] window(FlatTable options, int[] xs, int kh, int kw, int dh, int dw) {
      byte padding = options.getByte(0, (byte) 0);
      int sw = options.getInt(1, 0);
      int sh = options.getInt(2, 0);
      int limit = 1 << 16;
      if (padding < 0 || padding > 1) {
        throw fail("has padding " + padding + "; it must be SAME or VALID");
      }
      for (int v : new int[] {kh, kw, sh, sw, dh, dw}) {
        if (v < 1 || v > limit) {
          throw fail("has window, stride or dilation " + v + "; each must be 1.." + limit);
        }
      }
      int[] hw = new int[2];
      int[] size = {xs[1], xs[2]};
      int[] kernel = {kh, kw};
      int[] stride = {sh, sw};
      int[] dilation = {dh, dw};
      for (int i = 0; i < 2; i++) {
        long effective = (long) (kernel[i] - 1) * dilation[i] + 1;
        long n =
            padding == 0
                ? (size[i] + stride[i] - 1) / stride[i]
                : (size[i] - effective + stride[i]) / stride[i];
        if (n < 1 || (padding == 1 && effective > size[i])) {
          throw fail("has a window larger than its input " + Arrays.toString(xs));
        }
        hw[i] = (int) n;
      }
      return hw;
    }

    private void reshape() {
      inputs(1, 2);
      FlatTable options = options(BuiltinOptions.ReshapeOptions, true);
      sameType(input(0), output());
      int[] target;
      if (options != null && options.vectorLength(0, 4, "new shape") > MAX_RESHAPE_RANK) {
        throw fail("has a new shape of more than " + MAX_RESHAPE_RANK + " dimensions");
      }
      if (in.size() == 2 && input(1) != null) {
        Tensor shape = input(1);
        rank(shape, 1, 1);
        target = constantInts(shape, "shape");
      } else if (options != null) {
        target = options.ints(0, "new shape");
      } else {
        throw fail("has neither a shape tensor nor a new shape");
      }
      long elements = TensorChecks.elements(input(0).shape());
      int free = -1;
      long known = 1;
      for (int i = 0; i < target.length; i++) {
        if (target[i] == -1 && free < 0) {
          free = i;
        } else if (target[i] < 1) {
          throw fail("has target shape " + Arrays.toString(target));
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
        throw fail(
            "reshapes "
                + Arrays.toString(input(0).shape())
                + " to "
                + Arrays.toString(target)
                + ": the element counts differ");
      }
      expect(shape);
    }

    private void mean() {
      inputs(2, 2);
      boolean keepDims = options(BuiltinOptions.ReducerOptions, false).getBool(0);
      sameType(input(0), output());
      int[] xs = input(0).shape();
      rank(input(1), 0, 1);
      boolean[] reduced = new boolean[xs.length];
      for (int axis : constantInts(input(1), "axis")) {
        if (axis < -xs.length || axis >= xs.length) {
          throw fail("reduces axis " + axis + " of a rank-" + xs.length + " input");
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
      expect(Arrays.copyOf(shape, n));
    }

    private void concatenation() {
      if (in.isEmpty() || in.contains(null)) {
        throw fail("needs at least one input and no absent ones");
      }
      FlatTable options = options(BuiltinOptions.ConcatenationOptions, false);
      fusedActivation(options, 1);
      int[] first = input(0).shape();
      int axis = options.getInt(0, 0);
      if (first.length == 0 || axis < -first.length || axis >= first.length) {
        throw fail("concatenates along axis " + axis + " of rank " + first.length);
      }
      axis = axis < 0 ? axis + first.length : axis;
      int[] shape = first.clone();
      long total = 0;
      for (Tensor t : in) {
        sameType(t, output());
        int[] s = t.shape();
        boolean fits = s.length == first.length;
        for (int i = 0; fits && i < s.length; i++) {
          fits = i == axis || s[i] == first[i];
        }
        if (!fits) {
          throw fail(
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
        throw fail("joins too many elements");
      }
      shape[axis] = (int) total;
      expect(shape);
    }

    private void transpose() {
      inputs(2, 2);
      options(BuiltinOptions.TransposeOptions, true);
      sameType(input(0), output());
      int[] xs = input(0).shape();
      rank(input(0), 1, 5);
      int[] perm = constantInts(input(1), "permutation");
      if (perm.length != xs.length) {
        throw fail("has permutation " + Arrays.toString(perm) + " for rank " + xs.length);
      }
      boolean[] seen = new boolean[xs.length];
      int[] shape = new int[xs.length];
      for (int i = 0; i < perm.length; i++) {
        if (perm[i] < 0 || perm[i] >= xs.length || seen[perm[i]]) {
          throw fail("has permutation " + Arrays.toString(perm) + ", not a permutation");
        }
        seen[perm[i]] = true;
        shape[i] = xs[perm[i]];
      }
      expect(shape);
    }

    private void batchMatmul() {
      inputs(2, 2);
      FlatTable options = options(BuiltinOptions.BatchMatMulOptions, false);
      Tensor a = input(0);
      Tensor b = input(1);
      rank(a, 2, 5);
      rank(b, 2, 5);
      sameType(a, b);
      sameType(a, output());
      int[] as = a.shape();
      int[] bs = b.shape();
      boolean adjX = options.getBool(0);
      boolean adjY = options.getBool(1);
      int m = adjX ? as[as.length - 1] : as[as.length - 2];
      int ka = adjX ? as[as.length - 2] : as[as.length - 1];
      int kb = adjY ? bs[bs.length - 1] : bs[bs.length - 2];
      int n = adjY ? bs[bs.length - 2] : bs[bs.length - 1];
      if (ka != kb) {
        throw fail(
            "multiplies "
                + Arrays.toString(as)
                + " by "
                + Arrays.toString(bs)
                + ": inner sizes differ");
      }
      int[] batch = broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
      int[] shape = Arrays.copyOf(batch, batch.length + 2);
      shape[batch.length] = m;
      shape[batch.length + 1] = n;
      expect(shape);
    }

    private void pad() {
      inputs(2, 2);
      options(BuiltinOptions.PadOptions, true);
      sameType(input(0), output());
      int[] xs = input(0).shape();
      rank(input(0), 1, 4);
      int[] paddings = constantInts(input(1), "paddings");
      if (!Arrays.equals(input(1).shape(), new int[] {xs.length, 2})) {
        throw fail(
            "needs paddings [" + xs.length + ", 2], has " + Arrays.toString(input(1).shape()));
      }
      int[] shape = new int[xs.length];
      for (int i = 0; i < xs.length; i++) {
        long d = (long) xs[i] + paddings[2 * i] + paddings[2 * i + 1];
        if (paddings[2 * i] < 0 || paddings[2 * i + 1] < 0 || d > Integer.MAX_VALUE) {
          throw fail("has paddings " + Arrays.toString(paddings));
        }
        shape[i] = (int) d;
      }
      expect(shape);
    }

    private void resize() {
      inputs(2, 2);
      FlatTable options = options(BuiltinOptions.ResizeBilinearOptions, false);
      if (options.getBool(2) && options.getBool(3)) {
        throw fail("sets both align_corners and half_pixel_centers");
      }
      sameType(input(0), output());
      rank(input(0), 4, 4);
      int[] size = constantInts(input(1), "size");
      if (size.length != 2 || size[0] < 1 || size[1] < 1) {
        throw fail("has size " + Arrays.toString(size));
      }
      int[] xs = input(0).shape();
      expect(new int[] {xs[0], size[0], size[1], xs[3]});
    }
  }

  /** The longest check, STRIDED_SLICE with begin, end and stride constants and masks. */
  private static final class StridedSlices {
    private StridedSlices() {}

    static void check(Check c) {
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
