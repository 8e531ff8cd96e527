package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.MetadataT;
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
 * A mutable view of a one-subgraph TFLite model for rewriting: tensors, buffers and operators as
 * lists, constant data read and written, opcodes found or added. {@link #serialize()} drops tensors
 * and buffers nothing refers to any more. Not thread-safe; one rewrite at a time.
 */
final class ModelGraph {

  final ModelT model;
  final SubGraphT graph;
  final List<TensorT> tensors;
  final List<BufferT> buffers;
  List<OperatorT> operators;
  private final List<OperatorCodeT> opcodes;

  private ModelGraph(ModelT model) {
    this.model = model;
    this.graph = model.getSubgraphs()[0];
    this.tensors = new ArrayList<>(Arrays.asList(graph.getTensors()));
    this.buffers = new ArrayList<>(Arrays.asList(model.getBuffers()));
    this.operators = new ArrayList<>(Arrays.asList(graph.getOperators()));
    this.opcodes = new ArrayList<>(Arrays.asList(model.getOperatorCodes()));
  }

  /** Parses {@code flatbuffer}; refuses models with other than one subgraph. */
  static ModelGraph parse(byte[] flatbuffer) {
    ModelT model;
    try {
      model = ModelT.deserializeFromBinary(flatbuffer);
    } catch (RuntimeException e) {
      throw new QuantizationException("not a TFLite flatbuffer: " + e);
    }
    if (model.getSubgraphs() == null || model.getSubgraphs().length != 1) {
      throw new QuantizationException(
          "the model has "
              + (model.getSubgraphs() == null ? 0 : model.getSubgraphs().length)
              + " subgraphs; quantization handles models with exactly one");
    }
    return new ModelGraph(model);
  }

  /** The builtin operator code of {@code op} (2.6.2 reads the larger of the two code fields). */
  int builtin(OperatorT op) {
    OperatorCodeT code = opcodes.get((int) op.getOpcodeIndex());
    return Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
  }

  /** The index of the opcode for {@code builtin}, added (version 1) when the model lacks it. */
  int opcode(int builtin) {
    for (int i = 0; i < opcodes.size(); i++) {
      OperatorCodeT c = opcodes.get(i);
      if (Math.max(c.getBuiltinCode(), c.getDeprecatedBuiltinCode()) == builtin) {
        return i;
      }
    }
    OperatorCodeT code = new OperatorCodeT();
    code.setBuiltinCode(builtin);
    code.setDeprecatedBuiltinCode((byte) Math.min(builtin, 127));
    code.setVersion(1);
    opcodes.add(code);
    return opcodes.size() - 1;
  }

  /** An operator without options. */
  OperatorT operator(int builtin, int input, int output) {
    OperatorT op = new OperatorT();
    op.setOpcodeIndex(opcode(builtin));
    op.setInputs(new int[] {input});
    op.setOutputs(new int[] {output});
    return op;
  }

  TensorT tensor(int index) {
    return tensors.get(index);
  }

  /** Whether tensor {@code index} holds data in the file (a weight or other constant). */
  boolean isConstant(int index) {
    int buffer = (int) tensors.get(index).getBuffer();
    int[] data = buffer == 0 ? null : buffers.get(buffer).getData();
    return data != null && data.length > 0;
  }

  /** The values of float32 constant {@code index}. */
  float[] floatData(int index) {
    return SchemaBuffers.floats(buffers.get((int) tensors.get(index).getBuffer()));
  }

  /** Adds a constant tensor of {@code type} holding raw little-endian {@code bytes}. */
  int addConstant(String name, byte type, int[] shape, byte[] bytes, QuantizationParametersT q) {
    buffers.add(SchemaBuffers.buffer(bytes));
    TensorT t = newTensor(name, type, shape, shape, q);
    t.setBuffer(buffers.size() - 1);
    tensors.add(t);
    return tensors.size() - 1;
  }

  /** Adds a run-time tensor shaped like {@code like}, of {@code type}, with {@code q}. */
  int addActivation(String name, int like, byte type, QuantizationParametersT q) {
    TensorT model = tensors.get(like);
    int[] signature =
        model.getShapeSignature() == null || model.getShapeSignature().length == 0
            ? model.getShape()
            : model.getShapeSignature();
    tensors.add(newTensor(name, type, model.getShape(), signature, q));
    return tensors.size() - 1;
  }

  private static TensorT newTensor(
      String name, byte type, int[] shape, int[] signature, QuantizationParametersT q) {
    TensorT t = new TensorT();
    t.setName(name);
    t.setType(type);
    t.setShape(shape.clone());
    t.setShapeSignature(signature.clone());
    t.setBuffer(0);
    t.setQuantization(q == null ? new QuantizationParametersT() : q);
    return t;
  }

  /** Throws unless every non-int32 tensor is float32: quantization starts from a float model. */
  void requireFloat(String what) {
    for (TensorT t : tensors) {
      if (t.getType() != TensorType.FLOAT32 && t.getType() != TensorType.INT32) {
        throw new QuantizationException(
            what
                + " needs a float32 model, but tensor '"
                + t.getName()
                + "' is "
                + TensorType.name(t.getType())
                + ": the model is already quantized; quantize the float model the card names"
                + " (float_model) instead");
      }
    }
  }

  /** Replaces graph output {@code from} by {@code to}, in the graph and in every signature. */
  void replaceOutput(int from, int to) {
    int[] outputs = graph.getOutputs();
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i] == from) {
        outputs[i] = to;
      }
    }
    for (SignatureDefT signature : signatures()) {
      for (TensorMapT map : signature.getOutputs()) {
        if (map.getTensorIndex() == from) {
          map.setTensorIndex(to);
        }
      }
    }
  }

  SignatureDefT[] signatures() {
    return model.getSignatureDefs() == null ? new SignatureDefT[0] : model.getSignatureDefs();
  }

  /** Writes the model back, dropping unreferenced tensors and buffers first. */
  byte[] serialize() {
    compact();
    graph.setTensors(tensors.toArray(TensorT[]::new));
    graph.setOperators(operators.toArray(OperatorT[]::new));
    model.setBuffers(buffers.toArray(BufferT[]::new));
    model.setOperatorCodes(opcodes.toArray(OperatorCodeT[]::new));
    return model.serializeToBinary();
  }

  private void compact() {
    boolean[] used = new boolean[tensors.size()];
    for (OperatorT op : operators) {
      mark(used, op.getInputs());
      mark(used, op.getOutputs());
    }
    mark(used, graph.getInputs());
    mark(used, graph.getOutputs());
    int[] newIndex = new int[tensors.size()];
    List<TensorT> kept = new ArrayList<>();
    for (int i = 0; i < tensors.size(); i++) {
      newIndex[i] = used[i] ? kept.size() : -1;
      if (used[i]) {
        kept.add(tensors.get(i));
      }
    }
    for (OperatorT op : operators) {
      op.setInputs(remap(op.getInputs(), newIndex));
      op.setOutputs(remap(op.getOutputs(), newIndex));
    }
    graph.setInputs(remap(graph.getInputs(), newIndex));
    graph.setOutputs(remap(graph.getOutputs(), newIndex));
    for (SignatureDefT signature : signatures()) {
      for (TensorMapT map : signature.getInputs()) {
        map.setTensorIndex(newIndex[(int) map.getTensorIndex()]);
      }
      for (TensorMapT map : signature.getOutputs()) {
        map.setTensorIndex(newIndex[(int) map.getTensorIndex()]);
      }
    }
    tensors.clear();
    tensors.addAll(kept);
    compactBuffers();
  }

  private void compactBuffers() {
    Map<Integer, Integer> newBuffer = new HashMap<>();
    List<BufferT> kept = new ArrayList<>();
    kept.add(buffers.get(0));
    newBuffer.put(0, 0);
    for (TensorT t : tensors) {
      int old = (int) t.getBuffer();
      t.setBuffer(
          newBuffer.computeIfAbsent(
              old,
              k -> {
                kept.add(buffers.get(k));
                return kept.size() - 1;
              }));
    }
    if (model.getMetadata() != null) {
      for (MetadataT m : model.getMetadata()) {
        int old = (int) m.getBuffer();
        m.setBuffer(
            newBuffer.computeIfAbsent(
                old,
                k -> {
                  kept.add(buffers.get(k));
                  return kept.size() - 1;
                }));
      }
    }
    if (model.getMetadataBuffer() != null) {
      int[] meta = model.getMetadataBuffer();
      for (int i = 0; i < meta.length; i++) {
        int old = meta[i];
        meta[i] =
            newBuffer.computeIfAbsent(
                old,
                k -> {
                  kept.add(buffers.get(k));
                  return kept.size() - 1;
                });
      }
    }
    buffers.clear();
    buffers.addAll(kept);
  }

  private static void mark(boolean[] used, int[] indices) {
    for (int i : indices) {
      if (i >= 0) {
        used[i] = true;
      }
    }
  }

  private static int[] remap(int[] indices, int[] newIndex) {
    int[] out = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      out[i] = indices[i] < 0 ? indices[i] : newIndex[indices[i]];
    }
    return out;
  }
}
