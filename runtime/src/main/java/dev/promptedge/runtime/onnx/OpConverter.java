package dev.promptedge.runtime.onnx;

/** Writes the ONNX nodes for one TFLite operator into the graph being built. */
@FunctionalInterface
interface OpConverter {

  /**
   * Converts {@code op}, reading its inputs through {@link OnnxGraph#value} and writing {@link
   * OnnxGraph#output} of its output tensor; throws {@link IllegalArgumentException} (from {@link
   * Conversions#refuse}) for options it cannot express.
   */
  void convert(SourceOp op, OnnxGraph graph);
}
