package dev.promptedge.runtime.tflite;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Named;
import dev.promptedge.runtime.tflite.ModelGraph.Op;
import dev.promptedge.runtime.tflite.ModelGraph.Signature;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one gate between a model flatbuffer from outside and the TFLite interpreter: pure-Java checks
 * of its structure (offsets, vtables, vectors, strings in bounds), its tensors (type, bounded
 * shape, buffer of the right length, quantization), its operators (allow-listed, valid tensor
 * indices, options of the right type, output shapes that follow from the inputs), its signature
 * (exactly the contract) and the memory its tensors need. Stateless and thread-safe.
 *
 * <pre>{@code
 * ModelVerifier.verify(model, ModelLimits.head()); // throws ModelCheckException
 * }</pre>
 */
public final class ModelVerifier {

  /** Largest operator version accepted (TFLite 2.6.2 registers none beyond this). */
  static final int MAX_OP_VERSION = 10;

  private ModelVerifier() {}

  /**
   * Checks {@code model} (its bytes from position 0 to its limit) against {@code limits}.
   *
   * @throws ModelCheckException naming the first problem found
   */
  public static void verify(ByteBuffer model, ModelLimits limits) {
    try {
      check(ModelGraph.read(model), limits);
    } catch (ModelCheckException e) {
      throw e;
    } catch (RuntimeException e) {
      // Every read is bounds-checked before it is made; this is the net under that net.
      throw FlatTable.malformed("the model could not be read: " + e);
    }
  }

  private static void check(ModelGraph graph, ModelLimits limits) {
    signatureKey(graph, limits);
    if (graph.subgraphs() != 1) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED,
          "the " + limits.kind() + " has " + graph.subgraphs() + " subgraphs; it must have one");
    }
    List<Tensor> tensors = graph.tensors();
    for (Tensor t : tensors) {
      TensorChecks.check(t, limits);
    }
    Set<Integer> written = new HashSet<>();
    for (int input : graph.inputs()) {
      Tensor t = tensor(graph, input, "graph input");
      if (t.constant() || !written.add(input)) {
        throw new ModelCheckException(
            Reason.INCONSISTENT, t.label() + " is a graph input twice or has constant data");
      }
    }
    for (Op op : graph.ops()) {
      operator(graph, op, limits, written);
    }
    for (int output : graph.outputs()) {
      Tensor t = tensor(graph, output, "graph output");
      if (!written.contains(output)) {
        throw new ModelCheckException(
            Reason.INCONSISTENT, t.label() + " is a graph output that no operator computes");
      }
    }
    long arena = 0;
    for (Tensor t : tensors) {
      arena += t.constant() ? 0 : TensorChecks.bytes(t);
    }
    if (arena > limits.maxArenaBytes()) {
      throw new ModelCheckException(
          Reason.TOO_LARGE,
          "the "
              + limits.kind()
              + "'s tensors need "
              + arena
              + " bytes at run time, more than its cap of "
              + limits.maxArenaBytes());
    }
    // Last: a model refused for its signature alone is otherwise sound.
    signature(graph, limits);
  }

  private static Tensor tensor(ModelGraph graph, long index, String role) {
    if (index < 0 || index >= graph.tensors().size()) {
      throw new ModelCheckException(
          Reason.INCONSISTENT,
          role + " names tensor " + index + " but the subgraph has " + graph.tensors().size());
    }
    return graph.tensors().get((int) index);
  }

  private static void operator(ModelGraph graph, Op op, ModelLimits limits, Set<Integer> written) {
    if (op.custom() || !limits.operators().contains(op.builtin())) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED,
          op.label()
              + " is not among the operators a "
              + limits.kind()
              + " may use ("
              + OpShapes.names(limits.operators())
              + ")");
    }
    if (op.version() < 1 || op.version() > MAX_OP_VERSION) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED, op.label() + " has version " + op.version());
    }
    List<Tensor> inputs = new ArrayList<>();
    int[] in = op.inputs();
    for (int i = 0; i < in.length; i++) {
      if (in[i] == -1) {
        inputs.add(null);
        continue;
      }
      Tensor t = tensor(graph, in[i], op.label() + " input " + i);
      if (!t.constant() && !written.contains(in[i])) {
        throw new ModelCheckException(
            Reason.INCONSISTENT, op.label() + " reads " + t.label() + " before anything writes it");
      }
      inputs.add(t);
    }
    List<Tensor> outputs = new ArrayList<>();
    for (int o : op.outputs()) {
      Tensor t = tensor(graph, o, op.label() + " output");
      if (t.constant() || !written.add(o)) {
        throw new ModelCheckException(
            Reason.INCONSISTENT,
            op.label() + " writes " + t.label() + ", which is constant or written before");
      }
      outputs.add(t);
    }
    OpShapes.check(op, inputs, outputs);
  }

  /** First of all, so that a wrong kind of model is named as such. */
  private static void signatureKey(ModelGraph graph, ModelLimits limits) {
    List<String> keys = graph.signatures().stream().map(Signature::key).toList();
    if (!keys.contains(limits.signatureKey())) {
      throw new ModelCheckException(
          Reason.SIGNATURE,
          "the model has no signature '"
              + limits.signatureKey()
              + "' (it has "
              + keys
              + "), so it is not a "
              + limits.kind());
    }
    if (keys.size() != 1) {
      throw new ModelCheckException(
          Reason.SIGNATURE,
          "the " + limits.kind() + " must have exactly one signature, it has " + keys);
    }
  }

  private static void signature(ModelGraph graph, ModelLimits limits) {
    Signature s = graph.signatures().get(0);
    if (s.subgraph() != 0) {
      throw new ModelCheckException(
          Reason.SIGNATURE, "signature '" + s.key() + "' names subgraph " + s.subgraph());
    }
    mapping(s, "inputs", s.inputs(), graph.inputs());
    mapping(s, "outputs", s.outputs(), graph.outputs());
  }

  private static void mapping(Signature s, String role, List<Named> named, int[] graphTensors) {
    Set<String> seenNames = new HashSet<>();
    Set<Long> seenTensors = new HashSet<>();
    Set<Long> graphSet = new HashSet<>();
    for (int t : graphTensors) {
      graphSet.add((long) t);
    }
    for (Named n : named) {
      if (!seenNames.add(String.valueOf(n.name())) || !seenTensors.add(n.tensor())) {
        throw new ModelCheckException(
            Reason.SIGNATURE, "signature '" + s.key() + "' repeats " + role + " " + n.name());
      }
    }
    if (!seenTensors.equals(graphSet)) {
      throw new ModelCheckException(
          Reason.SIGNATURE,
          "signature '"
              + s.key()
              + "' must map its "
              + role
              + " onto the subgraph's "
              + role
              + " "
              + Arrays.toString(graphTensors)
              + ", it maps "
              + named.stream().map(n -> n.name() + "=" + n.tensor()).toList());
    }
  }
}
