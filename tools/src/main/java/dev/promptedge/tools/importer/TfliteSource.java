package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.SchemaBuffers;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;

/**
 * Reads a {@code .tflite} file from the wild into an {@link ImportGraph}: the subgraph of its first
 * signature when it has one, else subgraph 0; inputs and outputs named after their tensors.
 */
final class TfliteSource {

  private TfliteSource() {}

  static ImportGraph read(byte[] bytes) {
    ModelT model;
    try {
      model = ModelT.deserializeFromBinary(bytes);
    } catch (RuntimeException e) {
      throw new ImportException(
          "not a TFLite flatbuffer ("
              + e.getClass().getSimpleName()
              + "); give a .tflite file or a TF.js model.json");
    }
    SubGraphT[] subgraphs = model.getSubgraphs();
    if (subgraphs == null || subgraphs.length == 0) {
      throw new ImportException("the .tflite file has no subgraph; it holds no model");
    }
    SignatureDefT[] signatures = model.getSignatureDefs();
    int sub =
        signatures != null && signatures.length > 0 ? (int) signatures[0].getSubgraphIndex() : 0;
    SubGraphT graph = subgraphs[sub];
    BufferT[] buffers = model.getBuffers();
    ImportGraph g = new ImportGraph();
    for (TensorT t : graph.getTensors()) {
      long buffer = t.getBuffer();
      if (buffer < 0 || buffer >= buffers.length) {
        throw new ImportException(
            "tensor '" + t.getName() + "' points at buffer " + buffer + " of " + buffers.length);
      }
      byte[] data = SchemaBuffers.bytes(buffers[(int) buffer]);
      int[] shape =
          t.getShapeSignature() != null && t.getShapeSignature().length == t.getShape().length
              ? t.getShapeSignature()
              : t.getShape();
      ImportGraph.Tensor tensor =
          new ImportGraph.Tensor(t.getName(), t.getType(), shape, data.length == 0 ? null : data);
      tensor.quantization = t.getQuantization();
      g.add(tensor);
    }
    OperatorCodeT[] codes = model.getOperatorCodes();
    for (OperatorT o : graph.getOperators()) {
      OperatorCodeT code = codes[(int) o.getOpcodeIndex()];
      int opcode = Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
      byte type =
          o.getBuiltinOptions() == null ? BuiltinOptions.NONE : o.getBuiltinOptions().getType();
      Object options = o.getBuiltinOptions() == null ? null : o.getBuiltinOptions().getValue();
      ImportGraph.Op op = g.op(opcode, type, options, o.getInputs(), o.getOutputs());
      if (opcode == BuiltinOperator.CUSTOM) {
        op.customCode = code.getCustomCode();
      }
    }
    for (int i : graph.getInputs()) {
      g.inputs.put(g.tensor(i).name, i);
    }
    for (int o : graph.getOutputs()) {
      g.outputs.put(g.tensor(o).name, o);
    }
    return g;
  }
}
