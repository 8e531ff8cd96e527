package dev.promptedge.runtime.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The ONNX graph being written for one {@link SourceModel}: unique value names (signature names for
 * the signature's tensors), nodes in order, and initializers, each TFLite constant written once on
 * first use. A quantized model is written in QDQ form: the ONNX value of an int8 tensor is its
 * float view, {@code DequantizeLinear(QuantizeLinear(x))} of what the op computes in float with the
 * tensor's own scale and zero point; quantized constants are 8-bit (or int32) initializers behind a
 * DequantizeLinear. Not thread-safe; one per conversion.
 */
final class OnnxGraph {

  private final SourceModel source;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<Integer, String> tensorNames = new HashMap<>();
  private final Set<Integer> written = new HashSet<>();
  private final Map<Integer, String> unquantized = new HashMap<>();
  private final Set<String> names = new HashSet<>();
  private final boolean unsignedWeights;

  OnnxGraph(SourceModel source) {
    this(source, false);
  }

  /** With {@code unsignedWeights}, int8 weights are written as uint8 (zero point + 128). */
  OnnxGraph(SourceModel source, boolean unsignedWeights) {
    this.source = source;
    this.unsignedWeights = unsignedWeights;
    graph.setName(source.signature());
    source.inputs().forEach((name, tensor) -> reserve(tensor, name));
    source.outputs().forEach((name, tensor) -> reserve(tensor, name));
    source.inputs().forEach((name, tensor) -> graph.addInput(valueInfo(name, tensor)));
    source.outputs().forEach((name, tensor) -> graph.addOutput(valueInfo(name, tensor)));
  }

  private void reserve(int tensor, String name) {
    if (!tensorNames.containsKey(tensor)) {
      tensorNames.put(tensor, name);
      names.add(name);
    }
  }

  SourceModel source() {
    return source;
  }

  /**
   * The ONNX value of TFLite tensor {@code tensor} read as an input; a constant becomes an
   * initializer the first time. {@code -1} (an omitted optional input) gives the empty name.
   */
  String value(int tensor) {
    if (tensor < 0) {
      return "";
    }
    String name = tensorNames.computeIfAbsent(tensor, t -> fresh(source.name(t)));
    if (source.isConstant(tensor) && written.add(tensor)) {
      Quantization q = source.quantization(tensor);
      if (q != null) {
        int[] shape = source.staticShape(tensor);
        int[] identity = IntStream.range(0, shape.length).toArray();
        dequantized(tensor, identity, name, true);
        return name;
      }
      int type =
          source.isFloat(tensor)
              ? TensorProto.DataType.FLOAT_VALUE
              : TensorProto.DataType.INT32_VALUE;
      TensorProto.Builder init = TensorProto.newBuilder().setName(name).setDataType(type);
      for (int d : source.staticShape(tensor)) {
        init.addDims(d);
      }
      graph.addInitializer(init.setRawData(ByteString.copyFrom(source.bytes(tensor))));
    }
    return name;
  }

  /**
   * The ONNX value an operator writing TFLite tensor {@code tensor} must produce: for an int8
   * tensor the float result before {@link #requantize} quantizes it.
   */
  String output(int tensor) {
    if (source.quantization(tensor) != null) {
      return unquantized.computeIfAbsent(tensor, t -> fresh(source.name(t) + "/float"));
    }
    return tensorNames.computeIfAbsent(tensor, t -> fresh(source.name(t)));
  }

  /**
   * Constant {@code tensor} transposed by {@code perm} as a float value: a float32 initializer, or
   * for a quantized constant (a weight) the transposed int8/int32 initializer behind a
   * DequantizeLinear (a per-channel axis follows the transpose), int8 as uint8 when the graph was
   * made with unsigned weights.
   */
  String constant(int tensor, int[] perm, String hint) {
    if (source.quantization(tensor) == null) {
      int[] shape = source.staticShape(tensor);
      return floats(
          hint,
          Conversions.permuted(shape, perm),
          RowMajor.transpose(source.floats(tensor), shape, perm));
    }
    return dequantized(tensor, perm, fresh(hint), unsignedWeights);
  }

  /**
   * Writes the DequantizeLinear of quantized constant {@code tensor} transposed by {@code perm},
   * int8 values as uint8 when {@code unsigned} (activation-like constants of element-wise ops).
   */
  private String dequantized(int tensor, int[] perm, String out, boolean unsigned) {
    Quantization q = source.quantization(tensor);
    int[] shape = source.staticShape(tensor);
    byte[] raw = source.bytes(tensor);
    int type = TensorProto.DataType.INT8_VALUE;
    if (!q.int8()) {
      type = TensorProto.DataType.INT32_VALUE;
      if (!isIdentity(perm)) {
        throw new IllegalArgumentException(
            "int32 constant '" + source.name(tensor) + "' cannot be transposed");
      }
    } else {
      if (!isIdentity(perm)) {
        raw = RowMajor.transpose(raw, shape, perm);
      }
      if (unsigned) {
        type = TensorProto.DataType.UINT8_VALUE;
        raw = toUnsigned(raw);
      }
    }
    String values = initializer(out + "/quantized", type, Conversions.permuted(shape, perm), raw);
    int axis = 0;
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] == q.axis()) {
        axis = i;
      }
    }
    return node(
        "DequantizeLinear", quantizationInputs(values, q, out, unsigned), out, axisOf(q, axis));
  }

  /**
   * After an operator: quantizes each int8 output it wrote in float with the tensor's scale and
   * zero point and dequantizes it again into the tensor's ONNX value. A requantization (QUANTIZE
   * int8 to int8) thus rounds twice, as TFLite does; ONNX Runtime keeps that only with its
   * double-QDQ remover off ({@code OrtEngine} turns it off).
   */
  void requantize(SourceOp op) {
    for (int tensor : op.outputs()) {
      Quantization q = source.quantization(tensor);
      if (q == null) {
        continue;
      }
      String pre = unquantized.get(tensor);
      if (pre == null) {
        throw new IllegalArgumentException(
            "operator " + op.position() + " (" + op.name() + ") wrote no value for its output");
      }
      String name = tensorNames.computeIfAbsent(tensor, t -> fresh(source.name(t)));
      List<String> qInputs = quantizationInputs(pre, q, name, true);
      String quantized = temp("QuantizeLinear", qInputs, name + "/int8", axisOf(q, q.axis()));
      List<String> dqInputs = new ArrayList<>(qInputs);
      dqInputs.set(0, quantized);
      node("DequantizeLinear", dqInputs, name, axisOf(q, q.axis()));
    }
  }

  /**
   * Makes {@code value} the float that int8 output {@code tensor} quantizes (QUANTIZE), so no node
   * is written for the op itself.
   */
  void quantizes(int tensor, String value) {
    if (source.quantization(tensor) == null || unquantized.containsKey(tensor)) {
      throw new IllegalArgumentException(
          "tensor '" + source.name(tensor) + "' is no int8 output still to be written");
    }
    unquantized.put(tensor, value);
  }

  /**
   * Makes float output {@code tensor} the value {@code value} (DEQUANTIZE); a signature output
   * keeps its name through an Identity.
   */
  void alias(int tensor, String value) {
    if (tensorNames.containsKey(tensor)) {
      node("Identity", List.of(value), tensorNames.get(tensor));
    } else {
      tensorNames.put(tensor, value);
    }
  }

  /**
   * The scale and zero point inputs of a QuantizeLinear or DequantizeLinear of {@code x}. With
   * {@code unsigned} the int8 zero points are written as uint8 (z + 128): the same real values and
   * the same rounding, in the uint8-activation, int8-weight form ONNX Runtime's x86 kernels take.
   */
  private List<String> quantizationInputs(String x, Quantization q, String hint, boolean unsigned) {
    int n = q.scales().length;
    long[] shape = q.perChannel() ? new long[] {n} : new long[0];
    String scale = floats(hint + "/scale", shape, q.scales());
    if (!q.int8()) {
      return List.of(x, scale);
    }
    byte[] zeros = new byte[n];
    for (int i = 0; i < n; i++) {
      zeros[i] = (byte) q.zeroPoints()[i];
    }
    int type = TensorProto.DataType.INT8_VALUE;
    if (unsigned) {
      type = TensorProto.DataType.UINT8_VALUE;
      zeros = toUnsigned(zeros);
    }
    String zeroPoint = initializer(hint + "/zero_point", type, shape, zeros);
    return List.of(x, scale, zeroPoint);
  }

  /** int8 values as uint8 shifted by 128 (the sign bit flipped). */
  private static byte[] toUnsigned(byte[] int8) {
    byte[] out = new byte[int8.length];
    for (int i = 0; i < int8.length; i++) {
      out[i] = (byte) (int8[i] ^ 0x80);
    }
    return out;
  }

  private static AttributeProto[] axisOf(Quantization q, int axis) {
    return q.perChannel() ? new AttributeProto[] {integer("axis", axis)} : new AttributeProto[0];
  }

  private static boolean isIdentity(int[] perm) {
    for (int i = 0; i < perm.length; i++) {
      if (perm[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** A value name not used yet, {@code hint} or {@code hint} with a numeric suffix. */
  String fresh(String hint) {
    String name = hint;
    for (int i = 1; !names.add(name); i++) {
      name = hint + "_" + i;
    }
    return name;
  }

  /** Appends node {@code op} reading {@code inputs} and writing {@code output}; returns it. */
  String node(String op, List<String> inputs, String output, AttributeProto... attributes) {
    NodeProto.Builder node =
        NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
    node.addAllAttribute(Arrays.asList(attributes));
    graph.addNode(node);
    return output;
  }

  /** Appends node {@code op} writing a fresh value named after {@code hint}; returns it. */
  String temp(String op, List<String> inputs, String hint, AttributeProto... attributes) {
    return node(op, inputs, fresh(hint), attributes);
  }

  /** A new float32 initializer of {@code shape} holding {@code values}. */
  String floats(String hint, long[] shape, float[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return initializer(hint, TensorProto.DataType.FLOAT_VALUE, shape, bytes.array());
  }

  /** A new one-dimensional int64 initializer, such as a shape, pads or slice bounds. */
  String int64s(String hint, long... values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asLongBuffer().put(values);
    return initializer(
        hint, TensorProto.DataType.INT64_VALUE, new long[] {values.length}, bytes.array());
  }

  private String initializer(String hint, int type, long[] shape, byte[] raw) {
    String name = fresh(hint);
    TensorProto.Builder init = TensorProto.newBuilder().setName(name).setDataType(type);
    for (long d : shape) {
      init.addDims(d);
    }
    graph.addInitializer(init.setRawData(ByteString.copyFrom(raw)));
    return name;
  }

  GraphProto build() {
    return graph.build();
  }

  /** A float tensor's value info: {@code -1} dimensions become symbolic ({@code batch} first). */
  private ValueInfoProto valueInfo(String name, int tensor) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    int[] dims = source.shape(tensor);
    for (int i = 0; i < dims.length; i++) {
      TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
      if (dims[i] < 0) {
        dim.setDimParam(i == 0 ? "batch" : name + "_dim" + i);
      } else {
        dim.setDimValue(dims[i]);
      }
      shape.addDim(dim);
    }
    TypeProto.Tensor type =
        TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE)
            .setShape(shape)
            .build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(type))
        .build();
  }

  static AttributeProto ints(String name, long... values) {
    AttributeProto.Builder a =
        AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static AttributeProto ints(String name, int... values) {
    return ints(name, Arrays.stream(values).asLongStream().toArray());
  }

  static AttributeProto integer(String name, long value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static AttributeProto string(String name, String value) {
    return AttributeProto.newBuilder()
        .setName(name)
        .setType(AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }
}
