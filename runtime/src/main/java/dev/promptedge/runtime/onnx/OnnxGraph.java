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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX graph being written for one {@link SourceModel}: unique value names (signature names for
 * the signature's tensors), nodes in order, and initializers, each TFLite constant written once on
 * first use. Not thread-safe; one per conversion.
 */
final class OnnxGraph {

  private final SourceModel source;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Map<Integer, String> tensorNames = new HashMap<>();
  private final Set<Integer> written = new HashSet<>();
  private final Set<String> names = new HashSet<>();

  OnnxGraph(SourceModel source) {
    this.source = source;
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

  /** The ONNX value an operator writing TFLite tensor {@code tensor} must produce. */
  String output(int tensor) {
    return tensorNames.computeIfAbsent(tensor, t -> fresh(source.name(t)));
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
