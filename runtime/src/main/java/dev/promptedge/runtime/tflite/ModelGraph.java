package dev.promptedge.runtime.tflite;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * The parts of a TFLite model flatbuffer that an interpreter reads, each read through {@link
 * FlatTable} so that every offset is checked: schema version, operator codes, the one subgraph's
 * tensors and operators, buffers and signatures. Reading checks structure only; {@link
 * ModelVerifier} checks meaning.
 */
record ModelGraph(
    List<Tensor> tensors,
    List<Op> ops,
    int[] inputs,
    int[] outputs,
    List<Signature> signatures,
    int subgraphs) {

  /** Schema version TFLite 2.6.2 runs. */
  static final int SCHEMA_VERSION = 3;

  /** File identifier of a TFLite flatbuffer. */
  static final String IDENTIFIER = "TFL3";

  /** Quantization parameters of a tensor; empty arrays where the model has none. */
  record Quantization(
      float[] scale, long[] zeroPoint, int quantizedDimension, int minMax, byte detailsType) {}

  /** A tensor: {@code data} is its constant buffer, empty for tensors computed at run time. */
  record Tensor(
      int index,
      String name,
      byte type,
      int[] shape,
      int[] shapeSignature,
      long buffer,
      ByteBuffer data,
      Quantization quantization,
      boolean variable,
      boolean sparse) {

    boolean constant() {
      return data.capacity() > 0;
    }

    /** {@code tensor 3 'logits'}: how messages name a tensor. */
    String label() {
      return "tensor " + index + (name == null ? "" : " '" + name + "'");
    }
  }

  /** An operator: its builtin code, version, tensor indices and builtin options (or null). */
  record Op(
      int index,
      int builtin,
      int version,
      int[] inputs,
      int[] outputs,
      byte optionsType,
      FlatTable options,
      boolean custom) {

    /** {@code operator 2 (FULLY_CONNECTED)}: how messages name an operator. */
    String label() {
      String name =
          builtin >= 0 && builtin < BuiltinOperator.names.length
              ? BuiltinOperator.name(builtin)
              : "builtin " + builtin;
      return "operator " + index + " (" + name + ")";
    }
  }

  /** One signature: key, subgraph and its named inputs and outputs (name → tensor index). */
  record Signature(String key, long subgraph, List<Named> inputs, List<Named> outputs) {}

  /** A signature entry. */
  record Named(String name, long tensor) {}

  /** Reads {@code model}; throws {@link ModelCheckException} when a structure is out of bounds. */
  static ModelGraph read(ByteBuffer model) {
    FlatTable root = FlatTable.root(model, "Model");
    if (!root.hasIdentifier(IDENTIFIER)) {
      throw FlatTable.malformed(
          "the model does not carry the TFLite file identifier " + IDENTIFIER + " at bytes 4..7");
    }
    long version = root.getUint(0);
    if (version != SCHEMA_VERSION) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED,
          "the model has schema version "
              + version
              + "; this runtime runs version "
              + SCHEMA_VERSION
              + " (rebuild it with a TFLite converter of schema 3)");
    }
    List<FlatTable> codes = root.tables(1, "operator code");
    List<FlatTable> subgraphs = root.tables(2, "subgraph");
    List<FlatTable> buffers = root.tables(4, "buffer");
    root.string(3, "description");
    for (int m : root.ints(5, "metadata buffer")) {
      bufferIndex(Integer.toUnsignedLong(m), buffers.size(), "a metadata buffer");
    }
    for (FlatTable metadata : root.tables(6, "metadata")) {
      metadata.string(0, "name");
      bufferIndex(metadata.getUint(1), buffers.size(), "metadata " + metadata.offset());
    }
    List<Signature> signatures = new ArrayList<>();
    for (FlatTable s : root.tables(7, "signature")) {
      s.string(3, "signature tag");
      signatures.add(
          new Signature(s.string(2, "signature key"), s.getUint(4), named(s, 0), named(s, 1)));
    }
    if (subgraphs.size() != 1) {
      return new ModelGraph(
          List.of(), List.of(), new int[0], new int[0], signatures, subgraphs.size());
    }
    FlatTable graph = subgraphs.get(0);
    graph.string(4, "subgraph name");
    List<Tensor> tensors = new ArrayList<>();
    for (FlatTable t : graph.tables(0, "tensor")) {
      tensors.add(tensor(tensors.size(), t, buffers));
    }
    List<Op> ops = new ArrayList<>();
    for (FlatTable o : graph.tables(3, "operator")) {
      ops.add(op(ops.size(), o, codes));
    }
    return new ModelGraph(
        tensors, ops, graph.ints(1, "graph inputs"), graph.ints(2, "graph outputs"), signatures, 1);
  }

  private static List<Named> named(FlatTable signature, int slot) {
    List<Named> out = new ArrayList<>();
    for (FlatTable map :
        signature.tables(slot, slot == 0 ? "signature input" : "signature output")) {
      out.add(new Named(map.string(0, "name"), map.getUint(1)));
    }
    return out;
  }

  private static int bufferIndex(long index, int count, String who) {
    if (index >= count) {
      throw new ModelCheckException(
          Reason.INCONSISTENT,
          who + " names buffer " + index + " but the model has " + count + " buffers");
    }
    return (int) index;
  }

  private static Tensor tensor(int index, FlatTable t, List<FlatTable> buffers) {
    String name = t.string(3, "name");
    String who = "tensor " + index + (name == null ? "" : " '" + name + "'");
    long buffer = t.getUint(2);
    ByteBuffer data = buffers.get(bufferIndex(buffer, buffers.size(), who)).bytesOf(0, "data");
    FlatTable q = t.table(4, "quantization");
    Quantization quantization =
        q == null
            ? new Quantization(new float[0], new long[0], 0, 0, (byte) 0)
            : new Quantization(
                q.floats(2, "scale"),
                q.longs(3, "zero point"),
                q.getInt(6, 0),
                Math.max(q.floats(0, "min").length, q.floats(1, "max").length),
                q.getByte(4, (byte) 0));
    return new Tensor(
        index,
        name,
        t.getByte(1, (byte) 0),
        t.ints(0, "shape"),
        t.ints(7, "shape signature"),
        buffer,
        data,
        quantization,
        t.getBool(5),
        t.has(6));
  }

  private static Op op(int index, FlatTable o, List<FlatTable> codes) {
    long opcode = o.getUint(0);
    if (opcode >= codes.size()) {
      throw new ModelCheckException(
          Reason.INCONSISTENT,
          "operator "
              + index
              + " names operator code "
              + opcode
              + " but the model has "
              + codes.size());
    }
    FlatTable code = codes.get((int) opcode);
    // TFLite 2.6.2 runs the larger of the deprecated byte code and the int code.
    int builtin = Math.max(code.getByte(0, (byte) 0), code.getInt(3, 0));
    boolean custom = code.string(1, "custom code") != null;
    o.bytesOf(5, "custom options");
    o.bytesOf(7, "mutating variable inputs");
    if (o.vectorLength(8, 4, "intermediates") > 0 || o.getByte(6, (byte) 0) != 0) {
      custom = true;
    }
    byte optionsType = o.getByte(3, (byte) 0);
    FlatTable options = o.table(4, "builtin options");
    if (optionsType != 0 && options == null) {
      throw new ModelCheckException(
          Reason.INCONSISTENT,
          "operator "
              + index
              + " declares builtin options of type "
              + optionsType
              + " but has none");
    }
    return new Op(
        index,
        builtin,
        code.getInt(2, 1),
        o.ints(1, "operator inputs"),
        o.ints(2, "operator outputs"),
        optionsType,
        options,
        custom);
  }

  @Override
  public String toString() {
    return "ModelGraph["
        + tensors.size()
        + " tensors, "
        + ops.size()
        + " ops, inputs "
        + Arrays.toString(inputs)
        + "]";
  }
}
