package dev.promptedge.runtime.onnx;

/**
 * QUANTIZE and DEQUANTIZE of a quantized model in QDQ form, where every int8 tensor already has a
 * float view: QUANTIZE (float to int8, or int8 to int8 with a new scale) hands its input to the
 * output's QuantizeLinear, DEQUANTIZE makes its output the input's float view. Neither writes a
 * node of its own. Stateless.
 */
final class QuantizeOps {

  private QuantizeOps() {}

  static void quantize(SourceOp op, OnnxGraph g) {
    if (g.source().quantization(op.output()) == null) {
      throw Conversions.refuse(op, g, "its output has no scale and zero point");
    }
    g.quantizes(op.output(), g.value(op.input(0)));
  }

  static void dequantize(SourceOp op, OnnxGraph g) {
    if (g.source().quantization(op.input(0)) == null) {
      throw Conversions.refuse(op, g, "only int8 inputs with a scale and zero point dequantize");
    }
    if (g.source().quantization(op.output()) != null) {
      throw Conversions.refuse(op, g, "its output must be float32");
    }
    g.alias(op.output(), g.value(op.input(0)));
  }
}
