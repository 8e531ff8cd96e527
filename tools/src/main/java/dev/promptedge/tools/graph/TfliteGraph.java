package dev.promptedge.tools.graph;

import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A float32 TFLite model read through the schema object API, bound to one signature: its named
 * inputs and outputs, its constants and its operators in execution order. {@link #read} refuses a
 * model the host engine cannot execute with one message; {@link #inspect} lists every problem
 * instead. Immutable; {@link GraphWriteBack} writes a copy of its bytes with new constants.
 */
public final class TfliteGraph {

  /** One tensor of the signature's subgraph. */
  record Tensor(int index, String name, byte type, int[] shapeSignature, byte[] data) {

    boolean isConstant() {
      return data != null;
    }

    float[] floats() {
      return SchemaBuffers.floats(data);
    }

    int[] ints() {
      return SchemaBuffers.ints(data);
    }
  }

  /** One operator: builtin code, tensor indices (-1 for an omitted optional input), options. */
  record Node(int position, int opcode, int[] inputs, int[] outputs, Object options) {

    String opName() {
      return TfliteGraph.opName(opcode);
    }
  }

  private final byte[] bytes;
  private final String signature;
  private final int subgraph;
  private final List<Tensor> tensors;
  private final List<Node> nodes;
  private final Map<String, Integer> inputs;
  private final Map<String, Integer> outputs;

  private TfliteGraph(
      byte[] bytes,
      String signature,
      int subgraph,
      List<Tensor> tensors,
      List<Node> nodes,
      Map<String, Integer> inputs,
      Map<String, Integer> outputs) {
    this.bytes = bytes;
    this.signature = signature;
    this.subgraph = subgraph;
    this.tensors = tensors;
    this.nodes = nodes;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /**
   * Reads {@code model} bound to signature {@code signature}.
   *
   * @throws IllegalArgumentException naming the missing signature, the first non-float tensor or
   *     the first unsupported operator, and what to do about it
   */
  public static TfliteGraph read(byte[] model, String signature) {
    GraphReport report = inspect(model, signature);
    if (!report.problems().isEmpty()) {
      throw new IllegalArgumentException(report.problems().get(0));
    }
    return report.graph();
  }

  /** Reads {@code model} and reports every problem that keeps the host engine from running it. */
  public static GraphReport inspect(byte[] model, String signature) {
    ModelT m;
    try {
      m = ModelT.deserializeFromBinary(model);
    } catch (RuntimeException e) {
      return GraphReport.unreadable(List.of(), "not a TFLite flatbuffer (" + e + ")");
    }
    List<String> keys = new ArrayList<>();
    SignatureDefT def = null;
    for (SignatureDefT s : m.getSignatureDefs()) {
      keys.add(s.getSignatureKey());
      if (s.getSignatureKey().equals(signature)) {
        def = s;
      }
    }
    if (def == null) {
      return GraphReport.unreadable(
          keys,
          "model has no signature '"
              + signature
              + "' (it has "
              + keys
              + "); pass one of those with --signature, or re-export the model with a signature"
              + " def (TFLiteConverter.from_saved_model keeps them)");
    }
    int sub = (int) def.getSubgraphIndex();
    SubGraphT graph = m.getSubgraphs()[sub];
    BufferT[] buffers = m.getBuffers();
    List<Tensor> tensors = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < graph.getTensors().length; i++) {
      TensorT t = graph.getTensors()[i];
      byte[] bytes = SchemaBuffers.bytes(buffers[(int) t.getBuffer()]);
      if (bytes.length == 0) {
        bytes = null;
      }
      int[] shape =
          t.getShapeSignature() != null && t.getShapeSignature().length == t.getShape().length
              ? t.getShapeSignature()
              : t.getShape();
      tensors.add(new Tensor(i, t.getName(), t.getType(), shape.clone(), bytes));
      String typeProblem = typeProblem(t, bytes != null);
      if (typeProblem != null) {
        problems.add(typeProblem);
      }
    }
    List<Node> nodes = new ArrayList<>();
    Set<String> unsupportedOps = new TreeSet<>();
    OperatorCodeT[] codes = m.getOperatorCodes();
    for (int i = 0; i < graph.getOperators().length; i++) {
      OperatorT op = graph.getOperators()[i];
      OperatorCodeT code = codes[(int) op.getOpcodeIndex()];
      int opcode = Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
      Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
      Node node = new Node(i, opcode, op.getInputs(), op.getOutputs(), options);
      nodes.add(node);
      if (opcode == BuiltinOperator.CUSTOM) {
        unsupportedOps.add("CUSTOM " + code.getCustomCode());
        problems.add(
            "operator "
                + i
                + " is the custom op '"
                + code.getCustomCode()
                + "', which the host engine cannot run; export the model with builtin ops only");
      } else if (!Kernels.supports(opcode)) {
        unsupportedOps.add(node.opName());
        problems.add(unsupported(node));
      }
    }
    TfliteGraph result =
        new TfliteGraph(
            model.clone(),
            signature,
            sub,
            Collections.unmodifiableList(tensors),
            Collections.unmodifiableList(nodes),
            names(def.getInputs()),
            names(def.getOutputs()));
    return new GraphReport(keys, result, unsupportedOps, problems);
  }

  static String unsupported(Node node) {
    return "operator "
        + node.position()
        + " is "
        + node.opName()
        + ", which the host engine does not support (it runs "
        + Kernels.supportedNames()
        + "); rewrite that part of the model with supported ops";
  }

  private static String typeProblem(TensorT t, boolean constant) {
    byte type = t.getType();
    boolean quantized =
        t.getQuantization() != null
            && t.getQuantization().getScale() != null
            && t.getQuantization().getScale().length > 0;
    if (type == TensorType.FLOAT32 && !quantized) {
      return null;
    }
    if (type == TensorType.INT32 && constant && !quantized) {
      return null; // shapes, axes, permutations, paddings
    }
    return "tensor '"
        + t.getName()
        + "' is "
        + (quantized ? "quantized " : "")
        + TensorType.name(type)
        + "; the host engine needs the float32 model: give it the float .tflite (the card's"
        + " float_model), not the int8/quantized one";
  }

  private static Map<String, Integer> names(TensorMapT[] maps) {
    Map<String, Integer> named = new LinkedHashMap<>();
    for (TensorMapT map : maps) {
      named.put(map.getName(), (int) map.getTensorIndex());
    }
    return Collections.unmodifiableMap(named);
  }

  static String opName(int opcode) {
    try {
      return BuiltinOperator.name(opcode);
    } catch (RuntimeException e) {
      return "builtin " + opcode;
    }
  }

  /** The signature key this graph is bound to. */
  public String signature() {
    return signature;
  }

  /** Signature input names, in the model's order. */
  public List<String> inputNames() {
    return List.copyOf(inputs.keySet());
  }

  /** Signature output names, in the model's order. */
  public List<String> outputNames() {
    return List.copyOf(outputs.keySet());
  }

  /** Declared shape of signature tensor {@code name}, {@code -1} where dynamic (the batch). */
  public int[] shapeOf(String name) {
    Integer index = inputs.containsKey(name) ? inputs.get(name) : outputs.get(name);
    if (index == null) {
      throw new IllegalArgumentException(
          "signature '" + signature + "' has no tensor '" + name + "' (it has " + names() + ")");
    }
    return tensors.get(index).shapeSignature().clone();
  }

  /** Names of the float32 constants (weights), in tensor order. */
  public List<String> constantNames() {
    List<String> names = new ArrayList<>();
    for (Tensor t : tensors) {
      if (t.isConstant() && t.type() == TensorType.FLOAT32) {
        names.add(t.name());
      }
    }
    return names;
  }

  /** The values of float32 constant {@code name}, row-major. */
  public float[] constant(String name) {
    return constantTensor(name).floats();
  }

  /** Names of the operators in execution order, e.g. {@code CONV_2D}. */
  public List<String> operatorNames() {
    List<String> names = new ArrayList<>();
    for (Node n : nodes) {
      names.add(n.opName());
    }
    return names;
  }

  Tensor constantTensor(String name) {
    for (Tensor t : tensors) {
      if (t.isConstant() && t.type() == TensorType.FLOAT32 && t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "model has no float32 constant '" + name + "'; its constants are " + constantNames());
  }

  private List<String> names() {
    List<String> all = new ArrayList<>(inputs.keySet());
    all.addAll(outputs.keySet());
    return all;
  }

  List<Tensor> tensors() {
    return tensors;
  }

  List<Node> nodes() {
    return nodes;
  }

  Map<String, Integer> inputIndices() {
    return inputs;
  }

  Map<String, Integer> outputIndices() {
    return outputs;
  }

  /** The model's flatbuffer bytes as read. */
  byte[] bytes() {
    return bytes.clone();
  }

  int subgraph() {
    return subgraph;
  }

  @Override
  public String toString() {
    return "TfliteGraph[signature "
        + signature
        + ", "
        + nodes.size()
        + " ops, inputs "
        + inputs.keySet()
        + ", outputs "
        + outputs.keySet()
        + "]";
  }
}
