package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;

/**
 * Convolutions, pooling and bilinear resizing: NHWC only, filters rewritten from TF's HWIO to
 * TFLite's OHWI (depthwise: [1, H, W, C·m]), a following bias Add folded into the convolution, a
 * -inf PadV2 before MaxPool rewritten as edge replication (exact when every window holds a real
 * pixel, i.e. each pad is narrower than the window).
 */
final class TfjsConvOps {

  private TfjsConvOps() {}

  static void conv(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    String fmt = TfjsJson.text(n.attrs(), "data_format", "NHWC");
    if (!fmt.equals("NHWC")) {
      throw new ImportException(
          "node '"
              + n.name()
              + "' ("
              + n.op()
              + ") is "
              + fmt
              + "; the converter takes NHWC"
              + " convolutions (TF.js graph models from tensorflowjs_converter are NHWC)");
    }
    TfjsValue x = c.nhwc(in.get(0), n.name());
    TfjsValue filter = in.get(1);
    if (!filter.isConstant() || filter.rank() != 4) {
      throw new ImportException("node '" + n.name() + "' has a filter computed at run time");
    }
    boolean depthwise = n.op().contains("Depthwise");
    int[] f = filter.shape; // H, W, in, out (depthwise: H, W, C, multiplier)
    int channels = x.shape[3];
    if (f[2] != channels) {
      throw new ImportException(
          "node '"
              + n.name()
              + "' filters "
              + f[2]
              + " input channels but its input has "
              + channels
              + "; grouped convolutions are not converted");
    }
    int[] strides = orDefault(TfjsJson.intList(n.attrs(), "strides"));
    int[] dilations = orDefault(TfjsJson.intList(n.attrs(), "dilations"));
    String padding = TfjsJson.text(n.attrs(), "padding", "VALID");
    if (padding.equals("EXPLICIT")) {
      throw new ImportException(
          "node '" + n.name() + "' uses EXPLICIT padding; not converted (re-export with a Pad)");
    }
    boolean same = padding.equals("SAME");
    int outC = depthwise ? f[2] * f[3] : f[3];
    int oh = outSize(x.shape[1], f[0], strides[1], dilations[1], same);
    int ow = outSize(x.shape[2], f[1], strides[2], dilations[2], same);
    float[] weights =
        depthwise
            ? filter.floats() // [H, W, C, m] row-major is [1, H, W, C*m]
            : RowMajor.transpose(filter.floats(), f, new int[] {3, 0, 1, 2});
    int[] wShape = depthwise ? new int[] {1, f[0], f[1], outC} : new int[] {f[3], f[0], f[1], f[2]};
    int w = c.graph.constant(n.name() + "/filter", wShape, weights);
    float[] bias = new float[outC];
    String fused = n.op().startsWith("_Fused") || n.op().startsWith("Fused") ? fusedOps(n) : "";
    if (fused.startsWith("BiasAdd")) {
      TfjsValue b = in.get(2);
      if (!b.isConstant() || b.data.length != outC) {
        throw new ImportException("node '" + n.name() + "' has a bias that is not a constant [C]");
      }
      bias = b.floats();
      fused = fused.substring("BiasAdd".length()).replace(",", "").trim();
    } else if (!fused.isEmpty()) {
      throw new ImportException("node '" + n.name() + "' fuses " + fused + "; not converted");
    }
    int b = c.graph.constant(n.name() + "/bias", new int[] {outC}, bias);
    byte activation =
        switch (fused) {
          case "" -> ActivationFunctionType.NONE;
          case "Relu" -> ActivationFunctionType.RELU;
          case "Relu6" -> ActivationFunctionType.RELU6;
          case "LeakyRelu" -> ActivationFunctionType.NONE;
          default ->
              throw new ImportException(
                  "node '" + n.name() + "' fuses activation " + fused + "; not converted");
        };
    int[] shape = {x.shape[0], oh, ow, outC};
    String convName = fused.equals("LeakyRelu") ? n.name() + "/conv" : n.name();
    int out = c.graph.activation(convName, shape);
    ImportGraph.Op op;
    if (depthwise) {
      DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
      o.setPadding(same ? Padding.SAME : Padding.VALID);
      o.setStrideH(strides[1]);
      o.setStrideW(strides[2]);
      o.setDilationHFactor(dilations[1]);
      o.setDilationWFactor(dilations[2]);
      o.setDepthMultiplier(f[3]);
      o.setFusedActivationFunction(activation);
      op =
          c.graph.op(
              BuiltinOperator.DEPTHWISE_CONV_2D,
              BuiltinOptions.DepthwiseConv2DOptions,
              o,
              new int[] {x.tensor, w, b},
              out);
    } else {
      Conv2DOptionsT o = new Conv2DOptionsT();
      o.setPadding(same ? Padding.SAME : Padding.VALID);
      o.setStrideH(strides[1]);
      o.setStrideW(strides[2]);
      o.setDilationHFactor(dilations[1]);
      o.setDilationWFactor(dilations[2]);
      o.setFusedActivationFunction(activation);
      op =
          c.graph.op(
              BuiltinOperator.CONV_2D,
              BuiltinOptions.Conv2DOptions,
              o,
              new int[] {x.tensor, w, b},
              out);
    }
    TfjsValue result = TfjsValue.tensor(out, shape, Arrays4.identity(4));
    if (fused.equals("LeakyRelu")) {
      float alpha = (float) TfjsJson.real(n.attrs(), "leakyrelu_alpha", 0.2);
      result = TfjsOps.leakyRelu(c, result, alpha, n.name());
    }
    c.values.put(n.name(), result);
    if (activation == ActivationFunctionType.NONE && !fused.equals("LeakyRelu")) {
      c.foldableBias.put(out, op);
    }
  }

  /**
   * Folds {@code bias} into the convolution producing {@code x} when x feeds only this Add and the
   * bias is one value per output channel; true when it did (the Add becomes an alias).
   */
  static boolean foldBias(TfjsConverter c, TfjsValue x, TfjsValue bias, TfjsModel.Node add) {
    ImportGraph.Op conv = c.foldableBias.get(x.tensor);
    if (conv == null || x.rank() != 4 || !Arrays.equals(x.perm, Arrays4.identity(4))) {
      return false;
    }
    int channels = x.shape[3];
    int[] s = Arrays4.padLeft(bias.shape, 4);
    if (s.length != 4 || s[0] != 1 || s[1] != 1 || s[2] != 1 || s[3] != channels) {
      return false;
    }
    for (String ref : add.inputs()) {
      TfjsValue v = c.value(ref, add);
      if (v.tensor == x.tensor && c.consumersOf(TfjsConverter.base(ref)) != 1) {
        return false;
      }
    }
    ImportGraph.Tensor b = c.graph.tensor(conv.inputs[2]);
    float[] sum = b.floats();
    float[] extra = bias.floats();
    for (int i = 0; i < channels; i++) {
      sum[i] += extra[i];
    }
    ByteBuffer bytes = ByteBuffer.allocate(sum.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(sum);
    b.data = bytes.array();
    c.foldableBias.remove(x.tensor);
    c.graph.tensor(x.tensor).name = c.graph.unique(add.name());
    c.values.put(add.name(), x);
    return true;
  }

  static void pool(TfjsConverter c, TfjsModel.Node n, TfjsValue input) {
    int[] k = orDefault(TfjsJson.intList(n.attrs(), "ksize"));
    int[] strides = orDefault(TfjsJson.intList(n.attrs(), "strides"));
    String padding = TfjsJson.text(n.attrs(), "padding", "VALID");
    boolean max = n.op().equals("MaxPool");
    TfjsValue x = c.nhwc(input, n.name());
    if (input.pendingPads != null) {
      x = replicate(c, x, input.pendingPads, k, n.name());
    }
    boolean same = padding.equals("SAME");
    int[] shape = {
      x.shape[0],
      outSize(x.shape[1], k[1], strides[1], 1, same),
      outSize(x.shape[2], k[2], strides[2], 1, same),
      x.shape[3]
    };
    Pool2DOptionsT o = new Pool2DOptionsT();
    o.setPadding(same ? Padding.SAME : Padding.VALID);
    o.setFilterHeight(k[1]);
    o.setFilterWidth(k[2]);
    o.setStrideH(strides[1]);
    o.setStrideW(strides[2]);
    int out = c.graph.activation(n.name(), shape);
    c.graph.op(
        max ? BuiltinOperator.MAX_POOL_2D : BuiltinOperator.AVERAGE_POOL_2D,
        BuiltinOptions.Pool2DOptions,
        o,
        new int[] {x.tensor},
        out);
    c.values.put(n.name(), TfjsValue.tensor(out, shape, Arrays4.identity(4)));
  }

  /** Edge-replicates {@code pads} (logical NHWC) around x for a max pool of window {@code k}. */
  private static TfjsValue replicate(
      TfjsConverter c, TfjsValue x, int[] pads, int[] k, String name) {
    if (pads[0] + pads[1] + pads[6] + pads[7] != 0) {
      throw new ImportException("MaxPool '" + name + "' has -inf padding on batch or channels");
    }
    TfjsValue v = x;
    for (int axis = 1; axis <= 2; axis++) {
      int before = pads[2 * axis];
      int after = pads[2 * axis + 1];
      if (before >= k[axis] || after >= k[axis]) {
        throw new ImportException(
            "MaxPool '" + name + "' pads by more than its window; not converted");
      }
      if (before + after == 0) {
        continue;
      }
      int[] shape = v.shape;
      int[] parts = new int[before + 1 + after];
      int p = 0;
      for (int i = 0; i < before; i++) {
        parts[p++] = edge(c, v, axis, 0, name + "/edge" + axis + "b" + i);
      }
      parts[p++] = v.tensor;
      for (int i = 0; i < after; i++) {
        parts[p++] = edge(c, v, axis, shape[axis] - 1, name + "/edge" + axis + "a" + i);
      }
      int[] grown = shape.clone();
      grown[axis] += before + after;
      ConcatenationOptionsT o = new ConcatenationOptionsT();
      o.setAxis(axis);
      int out = c.graph.activation(name + "/replicated" + axis, grown);
      c.graph.op(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, o, parts, out);
      v = TfjsValue.tensor(out, grown, Arrays4.identity(4));
    }
    return v;
  }

  private static int edge(TfjsConverter c, TfjsValue v, int axis, int at, String name) {
    int[] begin = new int[4];
    int[] end = v.shape.clone();
    begin[axis] = at;
    end[axis] = at + 1;
    int[] shape = v.shape.clone();
    shape[axis] = 1;
    return TfjsOps.slice(c, v.tensor, begin, end, name, shape);
  }

  static void resize(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue x = c.nhwc(in.get(0), n.name());
    int[] size = in.get(1).ints();
    if (c.nativeShapes != null) {
      int[] own = c.nativeShapes.get(TfjsConverter.base(n.inputs().get(0)));
      int[] ownOut = c.nativeShapes.get(n.name());
      if (own == null || ownOut == null) {
        throw new ImportException("ResizeBilinear '" + n.name() + "' has no size to recompute");
      }
      // The same scale factor at the new size; a resize's input and output are NHWC in TF.
      size =
          new int[] {
            Math.round((float) x.shape[1] * ownOut[1] / own[1]),
            Math.round((float) x.shape[2] * ownOut[2] / own[2])
          };
    }
    int[] shape = {x.shape[0], size[0], size[1], x.shape[3]};
    int out = c.graph.activation(n.name(), shape);
    c.graph.op(
        BuiltinOperator.RESIZE_BILINEAR,
        BuiltinOptions.ResizeBilinearOptions,
        TfjsOps.resizeOptions(n),
        new int[] {x.tensor, c.graph.vector(n.name() + "/size", size)},
        out);
    c.values.put(n.name(), TfjsValue.tensor(out, shape, Arrays4.identity(4)));
  }

  private static String fusedOps(TfjsModel.Node n) {
    Object a = n.attrs().get("fused_ops");
    if (a == null) {
      return "";
    }
    List<Object> items =
        TfjsJson.list(
            TfjsJson.object(TfjsJson.object(a, "fused_ops").get("list"), "fused_ops").get("s"),
            "fused_ops");
    StringBuilder ops = new StringBuilder();
    for (Object s : items) {
      String op =
          new String(
              java.util.Base64.getDecoder().decode((String) s),
              java.nio.charset.StandardCharsets.UTF_8);
      ops.append(ops.length() == 0 ? "" : ",").append(op);
    }
    return ops.toString();
  }

  private static int outSize(int in, int k, int stride, int dilation, boolean same) {
    int effective = (k - 1) * dilation + 1;
    return same ? (in + stride - 1) / stride : (in - effective) / stride + 1;
  }

  private static int[] orDefault(int[] list) {
    return list == null || list.length != 4 ? new int[] {1, 1, 1, 1} : list;
  }
}
