package dev.promptedge.tools.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;

/**
 * The TF.js ops the converter rewrites into TFLite builtins, one method per family; convolution and
 * pooling are in {@link TfjsConvOps}, constant folding in {@link TfjsFolding}.
 */
final class TfjsOps {

  /** TF.js ops the converter knows, for messages. */
  static final Set<String> KNOWN =
      Set.of(
          "Placeholder",
          "Const",
          "Identity",
          "StopGradient",
          "Transpose",
          "Conv2D",
          "DepthwiseConv2dNative",
          "_FusedConv2D",
          "FusedDepthwiseConv2dNative",
          "Add",
          "AddV2",
          "BiasAdd",
          "Sub",
          "Mul",
          "LeakyRelu",
          "Relu",
          "Relu6",
          "Sigmoid",
          "Tanh",
          "Pad",
          "PadV2",
          "MaxPool",
          "AvgPool",
          "ConcatV2",
          "ResizeBilinear",
          "SplitV",
          "Split",
          "Reshape",
          "Cast",
          "SparseToDense");

  /** Name suffixes of the two halves of a converted LeakyRelu (not feature candidates). */
  static final String LEAKY_POSITIVE = "/leaky_relu_positive";

  static final String LEAKY_NEGATIVE = "/leaky_relu_negative";

  private TfjsOps() {}

  static void convert(TfjsConverter c, TfjsModel.Node n) {
    if (n.op().equals("Const")) {
      c.values.put(n.name(), TfjsFolding.constant(c.model, n));
      return;
    }
    if (n.op().equals("Placeholder")) {
      placeholder(c, n);
      return;
    }
    List<TfjsValue> in = new ArrayList<>();
    boolean allConstant = true;
    for (String ref : n.inputs()) {
      TfjsValue v = c.value(ref, n);
      if (v.isUnknown() || !KNOWN.contains(n.op())) {
        unknown(c, n, in, ref);
        return;
      }
      allConstant &= v.isConstant();
      in.add(v);
    }
    if (allConstant) {
      c.values.put(n.name(), TfjsFolding.fold(n, in));
      return;
    }
    if (!in.get(0).isConstant() && in.get(0).pendingPads != null && !isPool(n.op())) {
      if (!n.op().equals("Transpose") && !n.op().equals("Identity")) {
        throw new ImportException(
            "node '"
                + n.name()
                + "' ("
                + n.op()
                + ") reads a PadV2 with -inf padding; the converter takes that padding only"
                + " into MaxPool");
      }
    }
    switch (n.op()) {
      case "Identity", "StopGradient" -> c.values.put(n.name(), in.get(0));
      case "Transpose" -> transpose(c, n, in);
      case "Conv2D", "DepthwiseConv2dNative", "_FusedConv2D", "FusedDepthwiseConv2dNative" ->
          TfjsConvOps.conv(c, n, in);
      case "MaxPool", "AvgPool" -> TfjsConvOps.pool(c, n, in.get(0));
      case "Add", "AddV2", "BiasAdd", "Sub", "Mul" -> binary(c, n, in);
      case "LeakyRelu" ->
          c.values.put(
              n.name(),
              leakyRelu(c, in.get(0), (float) TfjsJson.real(n.attrs(), "alpha", 0.2), n.name()));
      case "Relu", "Relu6", "Sigmoid", "Tanh" -> unary(c, n, in.get(0));
      case "Pad", "PadV2" -> pad(c, n, in);
      case "ConcatV2" -> concat(c, n, in);
      case "ResizeBilinear" -> TfjsConvOps.resize(c, n, in);
      case "SplitV", "Split" -> split(c, n, in);
      case "Reshape" -> reshape(c, n, in);
      default ->
          throw new ImportException(
              "node '" + n.name() + "' (" + n.op() + ") needs constant inputs to be folded");
    }
  }

  private static boolean isPool(String op) {
    return op.equals("MaxPool");
  }

  private static void unknown(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in, String ref) {
    // A CUSTOM placeholder keeps the op visible to inspection; nothing after it is converted.
    List<Integer> inputs = new ArrayList<>();
    for (String r : n.inputs()) {
      TfjsValue v = c.value(r, n);
      if (!v.isConstant()) {
        inputs.add(v.tensor);
      }
    }
    int out =
        c.graph.add(new ImportGraph.Tensor(c.graph.unique(n.name()), (byte) 0, new int[0], null));
    ImportGraph.Op op =
        c.graph.op(
            BuiltinOperator.CUSTOM,
            BuiltinOptions.NONE,
            null,
            inputs.stream().mapToInt(Integer::intValue).toArray(),
            out);
    op.customCode = "tfjs:" + n.op();
    c.values.put(n.name(), TfjsValue.unknown(out));
  }

  private static void placeholder(TfjsConverter c, TfjsModel.Node n) {
    Map<String, Object> shapeAttr =
        TfjsJson.object(
            TfjsJson.object(n.attrs().get("shape"), "shape of Placeholder '" + n.name() + "'")
                .get("shape"),
            "shape of Placeholder '" + n.name() + "'");
    List<Object> dims = TfjsJson.list(shapeAttr.get("dim"), "dims of '" + n.name() + "'");
    int[] shape = new int[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      Object size = TfjsJson.object(dims.get(i), "a dim").get("size");
      shape[i] = size == null ? -1 : (int) TfjsJson.number(size, "dim size");
    }
    if (shape.length != 4) {
      throw new ImportException(
          "input '"
              + n.name()
              + "' has shape "
              + Arrays.toString(shape)
              + "; the importer takes one image input [N,H,W,3] or [N,3,H,W]");
    }
    shape[0] = 1;
    boolean nchw = shape[1] == 3 && shape[3] != 3;
    int[] perm = nchw ? new int[] {0, 2, 3, 1} : Arrays4.identity(4);
    int hAxis = nchw ? 2 : 1;
    if (c.inputHeight > 0) {
      shape[hAxis] = c.inputHeight;
      shape[hAxis + 1] = c.inputWidth;
    }
    if (shape[hAxis] <= 0 || shape[hAxis + 1] <= 0) {
      throw new ImportException(
          "input '" + n.name() + "' has a dynamic height or width; pass --input-size HxW");
    }
    if (!c.graph.inputs.isEmpty()) {
      throw new ImportException(
          "model.json has a second input '" + n.name() + "'; the importer takes one image input");
    }
    int t = c.graph.activation(n.name(), Arrays4.permute(shape, perm));
    c.graph.inputs.put(n.name(), t);
    c.values.put(n.name(), TfjsValue.tensor(t, shape, perm));
  }

  private static void transpose(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue x = in.get(0);
    int[] p = in.get(1).ints();
    int[] inv = Arrays4.inverse(p);
    int[] perm = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      perm[i] = inv[x.perm[i]];
    }
    TfjsValue out = TfjsValue.tensor(x.tensor, Arrays4.permute(x.shape, p), perm);
    if (x.pendingPads != null) {
      int[] pads = new int[x.pendingPads.length];
      for (int j = 0; j < p.length; j++) {
        pads[2 * j] = x.pendingPads[2 * p[j]];
        pads[2 * j + 1] = x.pendingPads[2 * p[j] + 1];
      }
      out = out.withPendingPads(pads);
    }
    c.values.put(n.name(), out);
  }

  private static void binary(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue a = in.get(0);
    TfjsValue b = in.get(1);
    String op = n.op();
    boolean commutes = !op.equals("Sub");
    if (a.isConstant() && commutes) {
      TfjsValue t = a;
      a = b;
      b = t;
    }
    if (a.isConstant()) {
      throw new ImportException(
          "node '" + n.name() + "' (Sub) subtracts a tensor from a constant; not converted");
    }
    int[] shape = Arrays4.broadcast(a.shape, b.shape);
    if (shape == null || shape.length != a.rank()) {
      throw new ImportException(
          "node '"
              + n.name()
              + "' ("
              + op
              + ") broadcasts "
              + Arrays.toString(a.shape)
              + " with "
              + Arrays.toString(b.shape)
              + ", which the converter does not handle");
    }
    int other;
    if (b.isConstant()) {
      if (!op.equals("Mul") && !op.equals("Sub") && TfjsConvOps.foldBias(c, a, b, n)) {
        return;
      }
      other = c.constantLike(b, a, n.name() + "/const");
    } else {
      other = c.layout(b, a.perm, n.name() + "/rhs").tensor;
    }
    int out = c.graph.activation(n.name(), Arrays4.permute(shape, a.perm));
    switch (op) {
      case "Mul" ->
          c.graph.op(
              BuiltinOperator.MUL,
              BuiltinOptions.MulOptions,
              new MulOptionsT(),
              new int[] {a.tensor, other},
              out);
      case "Sub" ->
          c.graph.op(
              BuiltinOperator.SUB,
              BuiltinOptions.SubOptions,
              new SubOptionsT(),
              new int[] {a.tensor, other},
              out);
      default ->
          c.graph.op(
              BuiltinOperator.ADD,
              BuiltinOptions.AddOptions,
              new AddOptionsT(),
              new int[] {a.tensor, other},
              out);
    }
    c.values.put(n.name(), TfjsValue.tensor(out, shape, a.perm));
  }

  /**
   * LeakyRelu(x) = relu((1−α)·x) + α·x for 0 ≤ α &lt; 1: a MUL with a fused RELU, a MUL and an ADD,
   * which both engines run (the host engine has no LEAKY_RELU kernel).
   */
  static TfjsValue leakyRelu(TfjsConverter c, TfjsValue x, float alpha, String name) {
    int[] physical = x.physical();
    if (alpha < 0 || alpha >= 1) {
      throw new ImportException(
          "LeakyRelu '" + name + "' has alpha " + alpha + "; the converter handles 0 ≤ alpha < 1");
    }
    MulOptionsT relu = new MulOptionsT();
    relu.setFusedActivationFunction(ActivationFunctionType.RELU);
    int positive = c.graph.activation(name + LEAKY_POSITIVE, physical);
    c.graph.op(
        BuiltinOperator.MUL,
        BuiltinOptions.MulOptions,
        relu,
        new int[] {
          x.tensor,
          c.graph.constant(name + "/one_minus_alpha", new int[] {1}, new float[] {1 - alpha})
        },
        positive);
    int scaled = c.graph.activation(name + LEAKY_NEGATIVE, physical);
    c.graph.op(
        BuiltinOperator.MUL,
        BuiltinOptions.MulOptions,
        new MulOptionsT(),
        new int[] {x.tensor, c.graph.constant(name + "/alpha", new int[] {1}, new float[] {alpha})},
        scaled);
    int out = c.graph.activation(name, physical);
    c.graph.op(
        BuiltinOperator.ADD,
        BuiltinOptions.AddOptions,
        new AddOptionsT(),
        new int[] {positive, scaled},
        out);
    return TfjsValue.tensor(out, x.shape, x.perm);
  }

  private static void unary(TfjsConverter c, TfjsModel.Node n, TfjsValue x) {
    int opcode =
        switch (n.op()) {
          case "Relu" -> BuiltinOperator.RELU;
          case "Relu6" -> BuiltinOperator.RELU6;
          case "Tanh" -> BuiltinOperator.TANH;
          default -> BuiltinOperator.LOGISTIC;
        };
    int out = c.graph.activation(n.name(), x.physical());
    c.graph.op(opcode, BuiltinOptions.NONE, null, new int[] {x.tensor}, out);
    c.values.put(n.name(), TfjsValue.tensor(out, x.shape, x.perm));
  }

  private static void pad(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue x = in.get(0);
    int[] pads = in.get(1).ints();
    double value = n.op().equals("PadV2") ? in.get(2).data[0] : 0;
    if (pads.length != 2 * x.rank()) {
      throw new ImportException("Pad '" + n.name() + "' has " + pads.length + " paddings");
    }
    if (value == Double.NEGATIVE_INFINITY) {
      c.values.put(n.name(), x.withPendingPads(pads));
      return;
    }
    if (value != 0) {
      throw new ImportException(
          "PadV2 '"
              + n.name()
              + "' pads with "
              + value
              + "; the converter handles 0 (PAD) and -inf before MaxPool");
    }
    int[] physical = new int[pads.length];
    int[] shape = x.shape.clone();
    for (int i = 0; i < x.rank(); i++) {
      physical[2 * i] = pads[2 * x.perm[i]];
      physical[2 * i + 1] = pads[2 * x.perm[i] + 1];
      shape[i] += pads[2 * i] + pads[2 * i + 1];
    }
    int out = c.graph.activation(n.name(), Arrays4.permute(shape, x.perm));
    c.graph.op(
        BuiltinOperator.PAD,
        BuiltinOptions.PadOptions,
        new PadOptionsT(),
        new int[] {
          x.tensor, c.graph.constantInt(n.name() + "/paddings", new int[] {x.rank(), 2}, physical)
        },
        out);
    c.values.put(n.name(), TfjsValue.tensor(out, shape, x.perm));
  }

  private static void concat(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue first = in.get(0);
    int axis = in.get(in.size() - 1).ints()[0];
    axis = axis < 0 ? axis + first.rank() : axis;
    int[] inputs = new int[in.size() - 1];
    int[] shape = first.shape.clone();
    shape[axis] = 0;
    for (int i = 0; i < inputs.length; i++) {
      TfjsValue v = in.get(i);
      if (v.isConstant()) {
        throw new ImportException("ConcatV2 '" + n.name() + "' concatenates a constant");
      }
      inputs[i] = c.layout(v, first.perm, n.name() + "/in" + i).tensor;
      shape[axis] += v.shape[axis];
    }
    ConcatenationOptionsT o = new ConcatenationOptionsT();
    o.setAxis(Arrays4.indexOf(first.perm, axis));
    int out = c.graph.activation(n.name(), Arrays4.permute(shape, first.perm));
    c.graph.op(BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, o, inputs, out);
    c.values.put(n.name(), TfjsValue.tensor(out, shape, first.perm));
  }

  private static void split(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    boolean v2 = n.op().equals("SplitV");
    TfjsValue x = v2 ? in.get(0) : in.get(1);
    int axis = (v2 ? in.get(2) : in.get(0)).ints()[0];
    axis = axis < 0 ? axis + x.rank() : axis;
    int[] sizes;
    if (v2) {
      sizes = in.get(1).ints();
    } else {
      int parts = (int) TfjsJson.integer(n.attrs(), "num_split", 1);
      sizes = new int[parts];
      Arrays.fill(sizes, x.shape[axis] / parts);
    }
    int known = 0;
    for (int s : sizes) {
      known += s >= 0 ? s : 0;
    }
    int physicalAxis = Arrays4.indexOf(x.perm, axis);
    int[] physical = x.physical();
    int offset = 0;
    for (int k = 0; k < sizes.length; k++) {
      int size = sizes[k] >= 0 ? sizes[k] : x.shape[axis] - known;
      int[] begin = new int[x.rank()];
      int[] end = physical.clone();
      begin[physicalAxis] = offset;
      end[physicalAxis] = offset + size;
      int[] shape = x.shape.clone();
      shape[axis] = size;
      String name = k == 0 ? n.name() : n.name() + ":" + k;
      int out = slice(c, x.tensor, begin, end, name, Arrays4.permute(shape, x.perm));
      c.values.put(name, TfjsValue.tensor(out, shape, x.perm));
      offset += size;
    }
  }

  /** A STRIDED_SLICE [begin, end) with unit strides; returns the output tensor. */
  static int slice(TfjsConverter c, int tensor, int[] begin, int[] end, String name, int[] shape) {
    int[] strides = new int[begin.length];
    Arrays.fill(strides, 1);
    int out = c.graph.activation(name, shape);
    c.graph.op(
        BuiltinOperator.STRIDED_SLICE,
        BuiltinOptions.StridedSliceOptions,
        new StridedSliceOptionsT(),
        new int[] {
          tensor,
          c.graph.vector(name + "/begin", begin),
          c.graph.vector(name + "/end", end),
          c.graph.vector(name + "/strides", strides)
        },
        out);
    return out;
  }

  private static void reshape(TfjsConverter c, TfjsModel.Node n, List<TfjsValue> in) {
    TfjsValue x = c.nhwc(in.get(0), n.name());
    int[] target = in.get(1).ints();
    int total = Arrays4.size(x.shape);
    int known = 1;
    int free = -1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == -1) {
        free = i;
      } else {
        known *= target[i];
      }
    }
    if (free >= 0 && known > 0) {
      target[free] = total / known;
    }
    if (Arrays4.size(target) != total) {
      throw new ImportException(
          "Reshape '"
              + n.name()
              + "' turns "
              + Arrays.toString(x.shape)
              + " into "
              + Arrays.toString(target)
              + " at this input size; try the model's own input size");
    }
    ReshapeOptionsT o = new ReshapeOptionsT();
    o.setNewShape(target.clone());
    int out = c.graph.activation(n.name(), target);
    c.graph.op(
        BuiltinOperator.RESHAPE,
        BuiltinOptions.ReshapeOptions,
        o,
        new int[] {x.tensor, c.graph.vector(n.name() + "/shape", target)},
        out);
    c.values.put(n.name(), TfjsValue.tensor(out, target, Arrays4.identity(target.length)));
  }

  static ResizeBilinearOptionsT resizeOptions(TfjsModel.Node n) {
    ResizeBilinearOptionsT o = new ResizeBilinearOptionsT();
    o.setAlignCorners(TfjsJson.bool(n.attrs(), "align_corners", false));
    o.setHalfPixelCenters(TfjsJson.bool(n.attrs(), "half_pixel_centers", false));
    return o;
  }
}
