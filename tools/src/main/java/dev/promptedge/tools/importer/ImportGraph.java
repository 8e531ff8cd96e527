package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A mutable one-subgraph model the import transforms rewrite: tensors (shape signature with {@code
 * -1} for a dynamic batch, constant bytes or none), operators in execution order, named graph
 * inputs and outputs. {@link #serialize} writes it as a TFLite flatbuffer with one signature. Not
 * thread-safe; one transform at a time.
 */
final class ImportGraph {

  /** One tensor; {@code data} is null for an activation. */
  static final class Tensor {
    String name;
    byte type;
    int[] shape;
    byte[] data;
    QuantizationParametersT quantization;

    Tensor(String name, byte type, int[] shape, byte[] data) {
      this.name = name;
      this.type = type;
      this.shape = shape.clone();
      this.data = data;
    }

    boolean isConstant() {
      return data != null;
    }

    float[] floats() {
      return SchemaBuffers.floats(data);
    }

    int[] ints() {
      return SchemaBuffers.ints(data);
    }

    @Override
    public String toString() {
      return "'" + name + "' " + TensorType.name(type) + Arrays.toString(shape);
    }
  }

  /** One operator: builtin code (or CUSTOM with its code), options, tensor indices. */
  static final class Op {
    int opcode;
    String customCode;
    byte optionsType;
    Object options;
    int[] inputs;
    int[] outputs;

    Op(int opcode, byte optionsType, Object options, int[] inputs, int[] outputs) {
      this.opcode = opcode;
      this.optionsType = optionsType;
      this.options = options;
      this.inputs = inputs.clone();
      this.outputs = outputs.clone();
    }

    String name() {
      if (opcode == BuiltinOperator.CUSTOM) {
        return "CUSTOM " + customCode;
      }
      try {
        return BuiltinOperator.name(opcode);
      } catch (RuntimeException e) {
        return "builtin " + opcode;
      }
    }
  }

  final List<Tensor> tensors = new ArrayList<>();
  final List<Op> ops = new ArrayList<>();
  final Map<String, Integer> inputs = new LinkedHashMap<>();
  final Map<String, Integer> outputs = new LinkedHashMap<>();

  /** Adds a tensor and returns its index; names are made unique with a numeric suffix. */
  int add(Tensor t) {
    tensors.add(t);
    return tensors.size() - 1;
  }

  int activation(String name, int... shape) {
    return add(new Tensor(unique(name), TensorType.FLOAT32, shape, null));
  }

  int constant(String name, int[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return add(new Tensor(unique(name), TensorType.FLOAT32, shape, b.array()));
  }

  int constantInt(String name, int[] shape, int[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    return add(new Tensor(unique(name), TensorType.INT32, shape, b.array()));
  }

  int vector(String name, int... values) {
    return constantInt(name, new int[] {values.length}, values);
  }

  /** Appends a builtin operator; {@code options} may be null with {@code BuiltinOptions.NONE}. */
  Op op(int opcode, byte optionsType, Object options, int[] in, int... out) {
    Op op = new Op(opcode, optionsType, options, in, out);
    ops.add(op);
    return op;
  }

  Tensor tensor(int index) {
    return tensors.get(index);
  }

  /** The index of the tensor named {@code name}, or -1. */
  int find(String name) {
    for (int i = 0; i < tensors.size(); i++) {
      if (tensors.get(i).name.equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The operator producing tensor {@code index}, or null for inputs and constants. */
  Op producer(int index) {
    for (Op op : ops) {
      for (int o : op.outputs) {
        if (o == index) {
          return op;
        }
      }
    }
    return null;
  }

  /** The operators reading tensor {@code index}, in order. */
  List<Op> consumers(int index) {
    List<Op> found = new ArrayList<>();
    for (Op op : ops) {
      for (int i : op.inputs) {
        if (i == index) {
          found.add(op);
          break;
        }
      }
    }
    return found;
  }

  /** Makes every reader of tensor {@code from} (operators and graph outputs) read {@code to}. */
  void replaceUses(int from, int to, Op except) {
    for (Op op : ops) {
      if (op == except) {
        continue;
      }
      for (int i = 0; i < op.inputs.length; i++) {
        if (op.inputs[i] == from) {
          op.inputs[i] = to;
        }
      }
    }
    outputs.replaceAll((k, v) -> v == from ? to : v);
  }

  String unique(String name) {
    String candidate = name;
    for (int k = 1; find(candidate) >= 0; k++) {
      candidate = name + "_" + k;
    }
    return candidate;
  }

  /** A deep-enough copy for a transform to rewrite without touching this graph. */
  ImportGraph copy() {
    ImportGraph g = new ImportGraph();
    for (Tensor t : tensors) {
      Tensor c = new Tensor(t.name, t.type, t.shape, t.data);
      c.quantization = t.quantization;
      g.tensors.add(c);
    }
    for (Op op : ops) {
      Op c = new Op(op.opcode, op.optionsType, op.options, op.inputs, op.outputs);
      c.customCode = op.customCode;
      g.ops.add(c);
    }
    g.inputs.putAll(inputs);
    g.outputs.putAll(outputs);
    return g;
  }

  /**
   * Writes the graph as a TFLite flatbuffer whose subgraph inputs and outputs are the graph's, with
   * one signature {@code signatureKey} naming them; drops tensors nothing uses.
   */
  byte[] serialize(String signatureKey, String description) {
    boolean[] used = new boolean[tensors.size()];
    inputs.values().forEach(i -> used[i] = true);
    outputs.values().forEach(i -> used[i] = true);
    for (Op op : ops) {
      for (int i : op.inputs) {
        if (i >= 0) {
          used[i] = true;
        }
      }
      for (int o : op.outputs) {
        used[o] = true;
      }
    }
    int[] remap = new int[tensors.size()];
    List<TensorT> written = new ArrayList<>();
    List<BufferT> buffers = new ArrayList<>();
    buffers.add(new BufferT());
    for (int i = 0; i < tensors.size(); i++) {
      remap[i] = -1;
      if (!used[i]) {
        continue;
      }
      Tensor t = tensors.get(i);
      TensorT out = new TensorT();
      out.setName(t.name);
      out.setType(t.type);
      int[] shape = t.shape.clone();
      for (int d = 0; d < shape.length; d++) {
        shape[d] = shape[d] < 0 ? 1 : shape[d];
      }
      out.setShape(shape);
      out.setShapeSignature(t.shape.clone());
      if (t.quantization != null) {
        out.setQuantization(t.quantization);
      }
      if (t.data != null) {
        buffers.add(SchemaBuffers.buffer(t.data));
        out.setBuffer(buffers.size() - 1);
      } else {
        out.setBuffer(0);
      }
      remap[i] = written.size();
      written.add(out);
    }
    Map<String, Integer> codeIndex = new LinkedHashMap<>();
    List<OperatorCodeT> codes = new ArrayList<>();
    List<OperatorT> operators = new ArrayList<>();
    for (Op op : ops) {
      String key = op.opcode + "/" + op.customCode;
      Integer index = codeIndex.get(key);
      if (index == null) {
        OperatorCodeT code = new OperatorCodeT();
        code.setBuiltinCode(op.opcode);
        code.setDeprecatedBuiltinCode((byte) Math.min(op.opcode, 127));
        code.setVersion(1);
        if (op.customCode != null) {
          code.setCustomCode(op.customCode);
        }
        index = codes.size();
        codes.add(code);
        codeIndex.put(key, index);
      }
      OperatorT o = new OperatorT();
      o.setOpcodeIndex(index);
      o.setInputs(Arrays.stream(op.inputs).map(i -> i < 0 ? -1 : remap[i]).toArray());
      o.setOutputs(Arrays.stream(op.outputs).map(i -> remap[i]).toArray());
      if (op.optionsType != BuiltinOptions.NONE) {
        BuiltinOptionsUnion union = new BuiltinOptionsUnion();
        union.setType(op.optionsType);
        union.setValue(op.options);
        o.setBuiltinOptions(union);
      }
      operators.add(o);
    }
    SubGraphT graph = new SubGraphT();
    graph.setName("main");
    graph.setTensors(written.toArray(TensorT[]::new));
    graph.setOperators(operators.toArray(OperatorT[]::new));
    graph.setInputs(inputs.values().stream().mapToInt(i -> remap[i]).toArray());
    graph.setOutputs(outputs.values().stream().mapToInt(i -> remap[i]).toArray());
    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey(signatureKey);
    signature.setSubgraphIndex(0);
    signature.setInputs(maps(inputs, remap));
    signature.setOutputs(maps(outputs, remap));
    ModelT model = new ModelT();
    model.setVersion(3);
    model.setDescription(description);
    model.setOperatorCodes(codes.toArray(OperatorCodeT[]::new));
    model.setSubgraphs(new SubGraphT[] {graph});
    model.setBuffers(buffers.toArray(BufferT[]::new));
    model.setSignatureDefs(new SignatureDefT[] {signature});
    return model.serializeToBinary();
  }

  private static TensorMapT[] maps(Map<String, Integer> named, int[] remap) {
    return named.entrySet().stream()
        .map(e -> SchemaBuffers.tensorMap(e.getKey(), remap[e.getValue()]))
        .toArray(TensorMapT[]::new);
  }
}
