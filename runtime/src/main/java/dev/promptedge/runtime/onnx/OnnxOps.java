package dev.promptedge.runtime.onnx;

import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.lite.schema.BuiltinOperator;

/** The one table of TFLite builtins the converter supports and the converter for each. */
final class OnnxOps {

  private static final Map<Integer, OpConverter> CONVERTERS =
      Map.ofEntries(
          Map.entry(BuiltinOperator.ADD, ElementwiseOps::add),
          Map.entry(BuiltinOperator.SUB, ElementwiseOps::sub),
          Map.entry(BuiltinOperator.MUL, ElementwiseOps::mul),
          Map.entry(BuiltinOperator.DIV, ElementwiseOps::div),
          Map.entry(BuiltinOperator.SQUARED_DIFFERENCE, ElementwiseOps::squaredDifference),
          Map.entry(BuiltinOperator.RSQRT, ElementwiseOps::rsqrt),
          Map.entry(BuiltinOperator.LOGISTIC, ElementwiseOps.unary("Sigmoid")),
          Map.entry(BuiltinOperator.TANH, ElementwiseOps.unary("Tanh")),
          Map.entry(BuiltinOperator.RELU, ElementwiseOps.unary("Relu")),
          Map.entry(BuiltinOperator.RELU6, ElementwiseOps::relu6),
          Map.entry(BuiltinOperator.RELU_N1_TO_1, ElementwiseOps::reluN1To1),
          Map.entry(BuiltinOperator.HARD_SWISH, ElementwiseOps.unary("HardSwish")),
          Map.entry(BuiltinOperator.SOFTMAX, ElementwiseOps::softmax),
          Map.entry(BuiltinOperator.FULLY_CONNECTED, MatrixOps::fullyConnected),
          Map.entry(BuiltinOperator.BATCH_MATMUL, MatrixOps::batchMatMul),
          Map.entry(BuiltinOperator.RESHAPE, ShapeOps::reshape),
          Map.entry(BuiltinOperator.TRANSPOSE, ShapeOps::transpose),
          Map.entry(BuiltinOperator.CONCATENATION, ShapeOps::concatenation),
          Map.entry(BuiltinOperator.STRIDED_SLICE, ShapeOps::stridedSlice),
          Map.entry(BuiltinOperator.PAD, ShapeOps::pad),
          Map.entry(BuiltinOperator.MEAN, ShapeOps::mean),
          Map.entry(BuiltinOperator.CONV_2D, ImageOps::conv2d),
          Map.entry(BuiltinOperator.DEPTHWISE_CONV_2D, ImageOps::depthwiseConv2d),
          Map.entry(BuiltinOperator.AVERAGE_POOL_2D, ImageOps::averagePool),
          Map.entry(BuiltinOperator.MAX_POOL_2D, ImageOps::maxPool),
          Map.entry(BuiltinOperator.RESIZE_BILINEAR, ImageOps::resizeBilinear),
          Map.entry(BuiltinOperator.QUANTIZE, QuantizeOps::quantize),
          Map.entry(BuiltinOperator.DEQUANTIZE, QuantizeOps::dequantize));

  private OnnxOps() {}

  /** Converts {@code op}, or refuses it naming the op, its output tensor and what is supported. */
  static void convert(SourceOp op, OnnxGraph graph) {
    OpConverter converter = CONVERTERS.get(op.opcode());
    if (converter == null) {
      throw Conversions.refuse(
          op,
          graph,
          "the converter has no ONNX form for it (it converts " + supportedNames() + ")");
    }
    try {
      converter.convert(op, graph);
    } catch (IndexOutOfBoundsException | NullPointerException | ClassCastException e) {
      throw Conversions.refuse(
          op, graph, "its operands or options do not fit the op (" + e + "); re-export the model");
    }
  }

  /** Names of the supported builtins, sorted. */
  static TreeSet<String> supportedNames() {
    TreeSet<String> names = new TreeSet<>();
    CONVERTERS.keySet().forEach(code -> names.add(BuiltinOperator.name(code)));
    return names;
  }
}
