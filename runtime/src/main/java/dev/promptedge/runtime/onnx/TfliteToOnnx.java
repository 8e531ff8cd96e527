package dev.promptedge.runtime.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;

/**
 * Converts one signature of a float32 TFLite model into an ONNX model with the same inputs and
 * outputs (names from the signature, {@code -1} dimensions symbolic, NHWC kept). Stateless and
 * thread-safe, e.g. {@code Files.write(out, TfliteToOnnx.convert(tflite, "encode").toByteArray())}.
 */
public final class TfliteToOnnx {

  /** The ONNX operator set the converted models use; ONNX Runtime 1.23 runs it. */
  public static final int OPSET = 17;

  /** The ONNX IR version written (ONNX 1.12, the release that introduced opset 17). */
  public static final int IR_VERSION = 8;

  private TfliteToOnnx() {}

  /**
   * Converts signature {@code signature} of {@code tflite}.
   *
   * @throws IllegalArgumentException when the bytes are no TFLite model, the signature is missing,
   *     a tensor is not float32, or an operator has no ONNX form here; the message names the tensor
   *     or the operator and its output tensor
   */
  public static ModelProto convert(byte[] tflite, String signature) {
    return convert(new OnnxGraph(SourceModel.read(tflite, signature, false)), signature);
  }

  /** How the int8 weights of a quantized model are stored in its QDQ form. */
  public enum Weights {
    /**
     * uint8 with zero point + 128, the same values: ONNX Runtime then runs uint8×uint8 kernels,
     * exact on every CPU. The default.
     */
    UINT8,
    /**
     * int8 as in the TFLite model: ONNX Runtime's uint8×int8 kernels, faster on x86-64, but on AVX2
     * CPUs without VNNI their 16-bit pairwise sums saturate for large activations and weights
     * (single outputs off by tens of steps).
     */
    INT8
  }

  /**
   * Converts signature {@code signature} of int8-quantized {@code tflite} into QDQ form with {@link
   * Weights#UINT8} weights, see {@link #convertQuantized(byte[], String, Weights)}.
   */
  public static ModelProto convertQuantized(byte[] tflite, String signature) {
    return convertQuantized(tflite, signature, Weights.UINT8);
  }

  /**
   * Converts signature {@code signature} of int8-quantized {@code tflite} into QDQ form: every int8
   * tensor becomes QuantizeLinear then DequantizeLinear with its own scale and zero point around
   * the float operator that computes it, and weights become 8-bit initializers behind a
   * DequantizeLinear (per-channel where TFLite quantizes per channel), so ONNX Runtime runs the
   * model on its int8 kernels with the TFLite model's calibration. Activations are written as uint8
   * (zero point + 128: the same values and rounding). A float32 model converts as in {@link
   * #convert}.
   *
   * @throws IllegalArgumentException as {@link #convert} does, and for a tensor whose type or
   *     quantization has no QDQ form here (int16, uint8, asymmetric int32)
   */
  public static ModelProto convertQuantized(byte[] tflite, String signature, Weights weights) {
    return convert(
        new OnnxGraph(SourceModel.read(tflite, signature, true), weights == Weights.UINT8),
        signature);
  }

  private static ModelProto convert(OnnxGraph graph, String signature) {
    SourceModel source = graph.source();
    for (SourceOp op : source.ops()) {
      OnnxOps.convert(op, graph);
      graph.requantize(op);
    }
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("promptedge")
        .addMetadataProps(
            StringStringEntryProto.newBuilder().setKey("tflite_signature").setValue(signature))
        .setGraph(graph.build())
        .build();
  }
}
