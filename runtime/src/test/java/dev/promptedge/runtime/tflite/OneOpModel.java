package dev.promptedge.runtime.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.BufferT;
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
 * A one-operator float32 model written with the schema's object API: graph inputs {@code x0, x1,
 * ...}, constants, and one output {@code y} under signature {@value #KEY}.
 */
final class OneOpModel {

  static final String KEY = "s";

  private final List<TensorT> tensors = new ArrayList<>();
  private final List<BufferT> buffers = new ArrayList<>(List.of(new BufferT()));
  private final List<Integer> inputs = new ArrayList<>();

  /** A float32 graph input of {@code shape}; returns its tensor index. */
  int input(int... shape) {
    inputs.add(tensors.size());
    return tensor(TensorType.FLOAT32, shape, 0);
  }

  /** A float32 constant of {@code shape}, every value {@code 0.5}. */
  int constant(int... shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    ByteBuffer bytes = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      bytes.putFloat(0.5f);
    }
    return tensor(TensorType.FLOAT32, shape, data(bytes.array()));
  }

  /** A one-dimensional int32 constant, or of {@code shape} when given via {@link #ints2}. */
  int ints(int... values) {
    return ints2(new int[] {values.length}, values);
  }

  int ints2(int[] shape, int... values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      bytes.putInt(v);
    }
    return tensor(TensorType.INT32, shape, data(bytes.array()));
  }

  /** The model: operator {@code builtin} with {@code options} over {@code in}, output {@code y}. */
  byte[] build(int builtin, byte optionsType, Object options, int[] outShape, int... in) {
    int out = tensor(TensorType.FLOAT32, outShape, 0);
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(0);
    op.setInputs(in);
    op.setOutputs(new int[] {out});
    if (options != null) {
      BuiltinOptionsUnion union = new BuiltinOptionsUnion();
      union.setType(optionsType);
      union.setValue(options);
      op.setBuiltinOptions(union);
    }
    SubGraphT graph = new SubGraphT();
    graph.setTensors(tensors.toArray(TensorT[]::new));
    graph.setOperators(new OperatorT[] {op});
    graph.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray());
    graph.setOutputs(new int[] {out});
    OperatorCodeT code = new OperatorCodeT();
    code.setBuiltinCode(builtin);
    code.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
    code.setVersion(1);
    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey(KEY);
    TensorMapT[] maps = new TensorMapT[inputs.size()];
    for (int i = 0; i < maps.length; i++) {
      maps[i] = map("x" + i, inputs.get(i));
    }
    signature.setInputs(maps);
    signature.setOutputs(new TensorMapT[] {map("y", out)});
    ModelT model = new ModelT();
    model.setVersion(3);
    model.setOperatorCodes(new OperatorCodeT[] {code});
    model.setSubgraphs(new SubGraphT[] {graph});
    model.setBuffers(buffers.toArray(BufferT[]::new));
    model.setSignatureDefs(new SignatureDefT[] {signature});
    return model.serializeToBinary();
  }

  /** Backbone limits for this model's signature. */
  ModelLimits limits() {
    return ModelLimits.backbone(KEY, 1L << 30);
  }

  private static TensorMapT map(String name, int index) {
    TensorMapT map = new TensorMapT();
    map.setName(name);
    map.setTensorIndex(index);
    return map;
  }

  private int tensor(byte type, int[] shape, int buffer) {
    TensorT t = new TensorT();
    t.setName("t" + tensors.size());
    t.setType(type);
    t.setShape(shape.clone());
    t.setBuffer(buffer);
    tensors.add(t);
    return tensors.size() - 1;
  }

  private int data(byte[] bytes) {
    int[] unsigned = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      unsigned[i] = bytes[i] & 0xff;
    }
    BufferT buffer = new BufferT();
    buffer.setData(unsigned);
    buffers.add(buffer);
    return buffers.size() - 1;
  }
}
