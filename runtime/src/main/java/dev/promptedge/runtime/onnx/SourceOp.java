package dev.promptedge.runtime.onnx;

import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * One TFLite operator as read: position in execution order, builtin code (and custom code), tensor
 * indices ({@code -1} for an omitted optional input) and its builtin options object.
 */
record SourceOp(
    int position, int opcode, String customCode, int[] inputs, int[] outputs, Object options) {

  /** The builtin operator's name, e.g. {@code CONV_2D}. */
  String name() {
    if (opcode == BuiltinOperator.CUSTOM) {
      return "CUSTOM '" + customCode + "'";
    }
    try {
      return BuiltinOperator.name(opcode);
    } catch (RuntimeException e) {
      return "builtin " + opcode;
    }
  }

  int input(int i) {
    return i < inputs.length ? inputs[i] : -1;
  }

  int output() {
    return outputs[0];
  }

  /** Options of the expected type; {@code null} options become {@code fallback}. */
  <T> T options(Class<T> type, T fallback) {
    return options == null ? fallback : type.cast(options);
  }
}
