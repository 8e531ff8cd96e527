package dev.promptedge.tools.graph;

import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Writes a one-subgraph TFLite flatbuffer with one signature: constant and activation tensors,
 * builtin operators in execution order, named graph inputs and outputs.
 *
 * <p>A batch dimension written as {@code -1} becomes {@code 1} in {@code shape} and stays {@code
 * -1} in {@code shape_signature}, so the interpreter can resize it. Not thread-safe; use one
 * builder per model and call {@link #build()} once.
 */
public final class TfliteModelBuilder {

  /** Schema version of the written model; TFLite refuses anything but 3. */
  public static final int SCHEMA_VERSION = 3;

  private final String description;
  private final List<TensorT> tensors = new ArrayList<>();
  private final List<int[]> signatures = new ArrayList<>();
  private final List<BufferT> buffers = new ArrayList<>();
  private final List<OperatorT> operators = new ArrayList<>();
  private final Map<Integer, Integer> opcodeIndex = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();
  private final Map<String, Integer> inputs = new LinkedHashMap<>();
  private final Map<String, Integer> outputs = new LinkedHashMap<>();
  private String signatureKey = "serving_default";

  /** Starts an empty model whose flatbuffer {@code description} field is {@code description}. */
  public TfliteModelBuilder(String description) {
    this.description = description;
    buffers.add(new BufferT()); // buffer 0: the empty buffer of every activation tensor
  }

  /** Adds a float32 constant of {@code shape} holding {@code values} (row-major) and its index. */
  public int constant(String name, int[] shape, float[] values) {
    requireSize(name, shape, values.length);
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return addTensor(name, TensorType.FLOAT32, shape, shape, data(bytes.array()));
  }

  /** Adds an int32 constant of {@code shape} holding {@code values} (row-major) and its index. */
  public int constantInt32(String name, int[] shape, int[] values) {
    requireSize(name, shape, values.length);
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asIntBuffer().put(values);
    return addTensor(name, TensorType.INT32, shape, shape, data(bytes.array()));
  }

  /** Adds a one-dimensional int32 constant, such as a RESHAPE target or a MEAN axis list. */
  public int vectorInt32(String name, int... values) {
    return constantInt32(name, new int[] {values.length}, values);
  }

  /**
   * Adds a float32 tensor computed at run time; {@code -1} in {@code shapeSignature} marks a
   * dynamic dimension (the batch).
   */
  public int activation(String name, int... shapeSignature) {
    int[] shape = shapeSignature.clone();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        shape[i] = 1;
      } else if (shape[i] <= 0) {
        throw new IllegalArgumentException(
            "Tensor " + name + " has dimension " + shape[i] + " in " + Arrays.toString(shape));
      }
    }
    return addTensor(name, TensorType.FLOAT32, shape, shapeSignature.clone(), 0);
  }

  /** The shape signature of tensor {@code index} ({@code -1} marks a dynamic dimension). */
  public int[] shapeOf(int index) {
    return signatures.get(index).clone();
  }

  /**
   * Appends a builtin operator (a {@code BuiltinOperator} constant) with options of type {@code
   * optionsType} (a {@code BuiltinOptions} constant, {@code NONE} with {@code null} options).
   */
  public void operator(
      int builtinOperator, byte optionsType, Object options, int[] inputs, int[] outputs) {
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(opcodeIndex.computeIfAbsent(builtinOperator, k -> opcodeIndex.size()));
    op.setInputs(inputs.clone());
    op.setOutputs(outputs.clone());
    if (optionsType != BuiltinOptions.NONE) {
      BuiltinOptionsUnion union = new BuiltinOptionsUnion();
      union.setType(optionsType);
      union.setValue(options);
      op.setBuiltinOptions(union);
    }
    operators.add(op);
  }

  /** Sets the key of the model's one signature (default {@code serving_default}). */
  public TfliteModelBuilder signatureKey(String key) {
    this.signatureKey = key;
    return this;
  }

  /** Declares tensor {@code index} a graph input, named {@code name} in the signature. */
  public TfliteModelBuilder input(String name, int index) {
    putUnique(inputs, name, index);
    return this;
  }

  /** Declares tensor {@code index} a graph output, named {@code name} in the signature. */
  public TfliteModelBuilder output(String name, int index) {
    putUnique(outputs, name, index);
    return this;
  }

  /** Serializes the model: schema version 3, one subgraph, one signature, deduplicated opcodes. */
  public byte[] build() {
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalStateException("A model needs at least one input and one output");
    }
    SubGraphT graph = new SubGraphT();
    graph.setName("main");
    graph.setTensors(tensors.toArray(TensorT[]::new));
    graph.setOperators(operators.toArray(OperatorT[]::new));
    graph.setInputs(inputs.values().stream().mapToInt(Integer::intValue).toArray());
    graph.setOutputs(outputs.values().stream().mapToInt(Integer::intValue).toArray());

    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey(signatureKey);
    signature.setSubgraphIndex(0);
    signature.setInputs(tensorMaps(inputs));
    signature.setOutputs(tensorMaps(outputs));

    ModelT model = new ModelT();
    model.setVersion(SCHEMA_VERSION);
    model.setDescription(description);
    model.setOperatorCodes(
        opcodeIndex.keySet().stream()
            .map(TfliteModelBuilder::opcode)
            .toArray(OperatorCodeT[]::new));
    model.setSubgraphs(new SubGraphT[] {graph});
    model.setBuffers(buffers.toArray(BufferT[]::new));
    model.setSignatureDefs(new SignatureDefT[] {signature});
    return model.serializeToBinary();
  }

  private int addTensor(String name, byte type, int[] shape, int[] signature, int buffer) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("Duplicate tensor name " + name);
    }
    TensorT tensor = new TensorT();
    tensor.setName(name);
    tensor.setType(type);
    tensor.setShape(shape.clone());
    tensor.setShapeSignature(signature.clone());
    tensor.setBuffer(buffer);
    tensors.add(tensor);
    signatures.add(signature.clone());
    return tensors.size() - 1;
  }

  private int data(byte[] bytes) {
    buffers.add(SchemaBuffers.buffer(bytes));
    return buffers.size() - 1;
  }

  private static void requireSize(String name, int[] shape, int size) {
    long expected = 1;
    for (int dim : shape) {
      expected *= dim;
    }
    if (expected != size) {
      throw new IllegalArgumentException(
          "Constant "
              + name
              + " has "
              + size
              + " values but shape "
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
  }

  private void putUnique(Map<String, Integer> map, String name, int index) {
    if (index < 0 || index >= tensors.size()) {
      throw new IllegalArgumentException("No tensor " + index + " for " + name);
    }
    if (map.putIfAbsent(name, index) != null) {
      throw new IllegalArgumentException("Duplicate signature name " + name);
    }
  }

  private static TensorMapT[] tensorMaps(Map<String, Integer> named) {
    return named.entrySet().stream()
        .map(e -> SchemaBuffers.tensorMap(e.getKey(), e.getValue()))
        .toArray(TensorMapT[]::new);
  }

  /** Both code fields: 2.6.2 reads the larger of the deprecated byte field and the int field. */
  private static OperatorCodeT opcode(int builtin) {
    OperatorCodeT code = new OperatorCodeT();
    code.setBuiltinCode(builtin);
    code.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
    code.setVersion(1);
    return code;
  }
}
