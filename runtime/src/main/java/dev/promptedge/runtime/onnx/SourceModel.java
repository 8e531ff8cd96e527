package dev.promptedge.runtime.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * A float32 or int8-quantized TFLite model bound to one signature, as the converter reads it:
 * tensors with their shape signatures, constant bytes and quantization, operators in execution
 * order, named inputs and outputs. Immutable.
 */
final class SourceModel {

  private final String signature;
  private final TensorT[] tensors;
  private final byte[][] data;
  private final Quantization[] quantization;
  private final List<SourceOp> ops;
  private final Map<String, Integer> inputs;
  private final Map<String, Integer> outputs;

  private SourceModel(
      String signature,
      TensorT[] tensors,
      byte[][] data,
      Quantization[] quantization,
      List<SourceOp> ops,
      Map<String, Integer> inputs,
      Map<String, Integer> outputs) {
    this.signature = signature;
    this.tensors = tensors;
    this.data = data;
    this.quantization = quantization;
    this.ops = ops;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  /**
   * Reads float32 {@code model} bound to {@code signature}.
   *
   * @throws IllegalArgumentException when the bytes are no TFLite model, the signature is missing
   *     or a tensor is not float32 (int32 constants aside)
   */
  static SourceModel read(byte[] model, String signature) {
    return read(model, signature, false);
  }

  /**
   * Reads {@code model} bound to {@code signature}; with {@code quantized}, int8 tensors and int32
   * constants with per-tensor or per-axis scales and zero points are accepted beside float32 ones.
   *
   * @throws IllegalArgumentException when the bytes are no TFLite model, the signature is missing
   *     or a tensor has a type or quantization the mode does not take
   */
  static SourceModel read(byte[] model, String signature, boolean quantized) {
    ModelT m;
    try {
      m = ModelT.deserializeFromBinary(model);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a TFLite flatbuffer (" + e + ")", e);
    }
    SignatureDefT def = null;
    List<String> keys = new ArrayList<>();
    for (SignatureDefT s : m.getSignatureDefs()) {
      keys.add(s.getSignatureKey());
      if (s.getSignatureKey().equals(signature)) {
        def = s;
      }
    }
    if (def == null) {
      throw new IllegalArgumentException(
          "model has no signature '" + signature + "' (it has " + keys + "); pass one of those");
    }
    SubGraphT graph =
        m.getSubgraphs()[
            index(
                def.getSubgraphIndex(),
                m.getSubgraphs().length,
                "subgraph",
                "signature '" + signature + "'")];
    BufferT[] buffers = m.getBuffers();
    TensorT[] tensors = graph.getTensors();
    byte[][] data = new byte[tensors.length][];
    Quantization[] quantization = new Quantization[tensors.length];
    for (int i = 0; i < tensors.length; i++) {
      TensorT t = tensors[i];
      int buffer = index(t.getBuffer(), buffers.length, "buffer", "tensor '" + t.getName() + "'");
      byte[] bytes = SchemaBuffers.bytes(buffers[buffer]);
      data[i] = bytes.length == 0 ? null : bytes;
      if (quantized) {
        quantization[i] = Quantization.of(t, data[i] != null);
      } else {
        checkType(t, data[i] != null);
      }
      checkSize(t, data[i]);
    }
    OperatorCodeT[] codes = m.getOperatorCodes();
    List<SourceOp> ops = new ArrayList<>();
    for (int i = 0; i < graph.getOperators().length; i++) {
      OperatorT op = graph.getOperators()[i];
      String where = "operator " + i;
      OperatorCodeT code = codes[index(op.getOpcodeIndex(), codes.length, "operator code", where)];
      for (int t : op.getInputs()) {
        if (t != -1) {
          index(t, tensors.length, "tensor", where);
        }
      }
      for (int t : op.getOutputs()) {
        index(t, tensors.length, "tensor", where);
      }
      int opcode = Math.max(code.getBuiltinCode(), code.getDeprecatedBuiltinCode());
      Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
      ops.add(
          new SourceOp(i, opcode, code.getCustomCode(), op.getInputs(), op.getOutputs(), options));
    }
    for (TensorMapT map : def.getInputs()) {
      index(
          map.getTensorIndex(),
          tensors.length,
          "tensor",
          "signature input '" + map.getName() + "'");
    }
    for (TensorMapT map : def.getOutputs()) {
      index(
          map.getTensorIndex(),
          tensors.length,
          "tensor",
          "signature output '" + map.getName() + "'");
    }
    return new SourceModel(
        signature,
        tensors,
        data,
        quantization,
        List.copyOf(ops),
        names(def.getInputs()),
        names(def.getOutputs()));
  }

  /** {@code value} as an index below {@code count}, or the error naming who refers to what. */
  private static int index(long value, int count, String what, String who) {
    if (value < 0 || value >= count) {
      throw new IllegalArgumentException(
          "malformed TFLite model: "
              + who
              + " refers to "
              + what
              + " "
              + value
              + " but the model has "
              + count
              + "; re-export the model");
    }
    return (int) value;
  }

  /** A constant's bytes must fill its shape exactly (4 bytes per float32 or int32, 1 per int8). */
  private static void checkSize(TensorT t, byte[] bytes) {
    if (bytes == null) {
      return;
    }
    long values = 1;
    for (int d : t.getShape()) {
      values *= Math.max(d, 0);
    }
    long expected = values * (t.getType() == TensorType.INT8 ? 1 : 4);
    if (expected != bytes.length) {
      throw new IllegalArgumentException(
          "malformed TFLite model: constant '"
              + t.getName()
              + "' of shape "
              + Arrays.toString(t.getShape())
              + " holds "
              + bytes.length
              + " bytes instead of "
              + expected
              + "; re-export the model");
    }
  }

  private static void checkType(TensorT t, boolean constant) {
    boolean quantized =
        t.getQuantization() != null
            && t.getQuantization().getScale() != null
            && t.getQuantization().getScale().length > 0;
    boolean ok =
        !quantized
            && (t.getType() == TensorType.FLOAT32 || (constant && t.getType() == TensorType.INT32));
    if (!ok) {
      throw new IllegalArgumentException(
          "tensor '"
              + t.getName()
              + "' is "
              + (quantized ? "quantized " : "")
              + TensorType.name(t.getType())
              + "; the ONNX converter takes the float32 model (the card's float_model), not the"
              + " int8/quantized one (convertQuantized converts that to QDQ form)");
    }
  }

  private static Map<String, Integer> names(TensorMapT[] maps) {
    Map<String, Integer> named = new LinkedHashMap<>();
    for (TensorMapT map : maps) {
      named.put(map.getName(), (int) map.getTensorIndex());
    }
    return named;
  }

  String signature() {
    return signature;
  }

  List<SourceOp> ops() {
    return ops;
  }

  /** Signature input names to tensor indices, in the model's order. */
  Map<String, Integer> inputs() {
    return inputs;
  }

  /** Signature output names to tensor indices, in the model's order. */
  Map<String, Integer> outputs() {
    return outputs;
  }

  String name(int tensor) {
    return tensors[tensor].getName();
  }

  boolean isConstant(int tensor) {
    return data[tensor] != null;
  }

  boolean isFloat(int tensor) {
    return tensors[tensor].getType() == TensorType.FLOAT32;
  }

  /** The tensor's int8/int32 quantization, or {@code null} for a float32 or plain int32 one. */
  Quantization quantization(int tensor) {
    return quantization[tensor];
  }

  /** The shape signature ({@code -1} where dynamic), or the shape when the model has none. */
  int[] shape(int tensor) {
    TensorT t = tensors[tensor];
    int[] signature = t.getShapeSignature();
    return (signature != null && signature.length == t.getShape().length ? signature : t.getShape())
        .clone();
  }

  /** The static shape the constant's bytes are laid out in. */
  int[] staticShape(int tensor) {
    return tensors[tensor].getShape().clone();
  }

  /** The raw little-endian bytes of constant {@code tensor}. */
  byte[] bytes(int tensor) {
    return data[tensor].clone();
  }

  float[] floats(int tensor) {
    return SchemaBuffers.floats(data[tensor]);
  }

  int[] ints(int tensor) {
    return SchemaBuffers.ints(data[tensor]);
  }
}
