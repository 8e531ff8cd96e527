package dev.promptedge.runtime.tflite;

import static org.tensorflow.lite.schema.BuiltinOperator.DEPTHWISE_CONV_2D;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.TensorType;

/**
 * Shape rules of the operators with weights or windows: FULLY_CONNECTED (weights [out, in] against
 * the input's last dimension), CONV_2D and DEPTHWISE_CONV_2D (filter against channels, output size
 * from padding, stride and dilation), the 2-D pools and BATCH_MATMUL (inner sizes, broadcast
 * batch).
 */
final class LinearOpShapes {

  private LinearOpShapes() {}

  static void fullyConnected(OpCheck c) {
    c.inputs(2, 3);
    FlatTable options = c.options(BuiltinOptions.FullyConnectedOptions, false);
    c.fusedActivation(options, 0);
    if (options.getByte(1, (byte) 0) != 0) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED, c.op().label() + " uses shuffled weights, not run here");
    }
    boolean keepDims = options.getBool(2);
    Tensor x = c.input(0);
    Tensor w = c.input(1);
    c.rank(x, 1, 5);
    c.rank(w, 2, 2);
    if (!w.constant()) {
      throw c.fail("needs constant weights, " + w.label() + " is computed");
    }
    int units = w.shape()[0];
    int depth = w.shape()[1];
    int[] xs = x.shape();
    long elements = TensorChecks.elements(xs);
    if (xs[xs.length - 1] != depth) {
      throw c.fail(
          "has weights "
              + Arrays.toString(w.shape())
              + " but its input "
              + x.label()
              + " is "
              + Arrays.toString(xs)
              + ": the last dimension must be "
              + depth);
    }
    Tensor bias = c.inputCount() > 2 ? c.input(2) : null;
    if (bias != null && (!bias.constant() || !Arrays.equals(bias.shape(), new int[] {units}))) {
      throw c.fail("needs a constant bias of [" + units + "], has " + bias.label());
    }
    weightTypes(c, x, w, bias);
    int[] shape;
    if (keepDims) {
      shape = xs.clone();
      shape[shape.length - 1] = units;
    } else {
      shape = new int[] {(int) (elements / depth), units};
    }
    c.expect(shape);
  }

  /** Float or int8 activations; weights of the same type, or int8 under float (hybrid). */
  private static void weightTypes(OpCheck c, Tensor x, Tensor w, Tensor bias) {
    c.sameType(x, c.output());
    boolean floatIn = x.type() == TensorType.FLOAT32;
    boolean ok =
        floatIn
            ? w.type() == TensorType.FLOAT32 || w.type() == TensorType.INT8
            : x.type() == TensorType.INT8 && w.type() == TensorType.INT8;
    byte biasType = floatIn ? TensorType.FLOAT32 : TensorType.INT32;
    int channelAxis = c.op().builtin() == DEPTHWISE_CONV_2D ? 3 : 0;
    if (w.quantization().scale().length > 1
        && w.quantization().quantizedDimension() != channelAxis) {
      throw c.fail(
          "has "
              + w.label()
              + " quantized per channel along dimension "
              + w.quantization().quantizedDimension()
              + "; it must be the output channels, dimension "
              + channelAxis);
    }
    for (Tensor activation : List.of(x, c.output())) {
      if (activation.quantization().scale().length > 1) {
        throw c.fail(
            "has " + activation.label() + " quantized per channel; activations are per tensor");
      }
    }
    if (!ok || (bias != null && bias.type() != biasType)) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED,
          c.op().label()
              + " takes "
              + TensorChecks.typeName(x.type())
              + " input with "
              + TensorChecks.typeName(w.type())
              + " weights"
              + (bias == null ? "" : " and " + TensorChecks.typeName(bias.type()) + " bias")
              + ", not a combination run here");
    }
  }

  static void conv(OpCheck c, boolean depthwise) {
    c.inputs(2, 3);
    FlatTable options =
        c.options(
            depthwise ? BuiltinOptions.DepthwiseConv2DOptions : BuiltinOptions.Conv2DOptions,
            false);
    Tensor x = c.input(0);
    Tensor filter = c.input(1);
    c.rank(x, 4, 4);
    c.rank(filter, 4, 4);
    if (!filter.constant()) {
      throw c.fail("needs a constant filter, " + filter.label() + " is computed");
    }
    int[] xs = x.shape();
    int[] fs = filter.shape();
    int channels;
    if (depthwise) {
      int multiplier = options.getInt(3, 0);
      c.fusedActivation(options, 4);
      if (fs[0] != 1 || multiplier < 1 || (long) xs[3] * multiplier != fs[3]) {
        throw c.fail(
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
      c.fusedActivation(options, 3);
      if (fs[3] != xs[3]) {
        throw c.fail(
            "has filter "
                + Arrays.toString(fs)
                + " for input "
                + Arrays.toString(xs)
                + ": the filter's last dimension must be "
                + xs[3]);
      }
      channels = fs[0];
    }
    Tensor bias = c.inputCount() > 2 ? c.input(2) : null;
    if (bias != null && (!bias.constant() || !Arrays.equals(bias.shape(), new int[] {channels}))) {
      throw c.fail("needs a constant bias of [" + channels + "], has " + bias.label());
    }
    weightTypes(c, x, filter, bias);
    int dilationW = depthwise ? options.getInt(5, 1) : options.getInt(4, 1);
    int dilationH = depthwise ? options.getInt(6, 1) : options.getInt(5, 1);
    int[] hw = window(c, options, xs, depthwise ? fs[1] : fs[1], fs[2], dilationH, dilationW);
    c.expect(new int[] {xs[0], hw[0], hw[1], channels});
  }

  static void pool(OpCheck c) {
    c.inputs(1, 1);
    FlatTable options = c.options(BuiltinOptions.Pool2DOptions, false);
    c.fusedActivation(options, 5);
    Tensor x = c.input(0);
    c.rank(x, 4, 4);
    c.sameType(x, c.output());
    int[] xs = x.shape();
    int[] hw = window(c, options, xs, options.getInt(4, 0), options.getInt(3, 0), 1, 1);
    c.expect(new int[] {xs[0], hw[0], hw[1], xs[3]});
  }

  /** Output height and width of a window op (padding slot 0, stride w slot 1, h slot 2). */
  private static int[] window(
      OpCheck c, FlatTable options, int[] xs, int kh, int kw, int dh, int dw) {
    byte padding = options.getByte(0, (byte) 0);
    int sw = options.getInt(1, 0);
    int sh = options.getInt(2, 0);
    int limit = 1 << 16;
    if (padding < 0 || padding > 1) {
      throw c.fail("has padding " + padding + "; it must be SAME or VALID");
    }
    for (int v : new int[] {kh, kw, sh, sw, dh, dw}) {
      if (v < 1 || v > limit) {
        throw c.fail("has window, stride or dilation " + v + "; each must be 1.." + limit);
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
        throw c.fail("has a window larger than its input " + Arrays.toString(xs));
      }
      hw[i] = (int) n;
    }
    return hw;
  }

  static void batchMatmul(OpCheck c) {
    c.inputs(2, 2);
    FlatTable options = c.options(BuiltinOptions.BatchMatMulOptions, false);
    Tensor a = c.input(0);
    Tensor b = c.input(1);
    c.rank(a, 2, 5);
    c.rank(b, 2, 5);
    c.sameType(a, b);
    c.sameType(a, c.output());
    int[] as = a.shape();
    int[] bs = b.shape();
    boolean adjX = options.getBool(0);
    boolean adjY = options.getBool(1);
    int m = adjX ? as[as.length - 1] : as[as.length - 2];
    int ka = adjX ? as[as.length - 2] : as[as.length - 1];
    int kb = adjY ? bs[bs.length - 1] : bs[bs.length - 2];
    int n = adjY ? bs[bs.length - 2] : bs[bs.length - 1];
    if (ka != kb) {
      throw c.fail(
          "multiplies "
              + Arrays.toString(as)
              + " by "
              + Arrays.toString(bs)
              + ": inner sizes differ");
    }
    int[] batch = c.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
    int[] shape = Arrays.copyOf(batch, batch.length + 2);
    shape[batch.length] = m;
    shape[batch.length + 1] = n;
    c.expect(shape);
  }
}
