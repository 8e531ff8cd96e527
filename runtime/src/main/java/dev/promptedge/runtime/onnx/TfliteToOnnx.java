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
    SourceModel source = SourceModel.read(tflite, signature);
    OnnxGraph graph = new OnnxGraph(source);
    for (SourceOp op : source.ops()) {
      OnnxOps.convert(op, graph);
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
