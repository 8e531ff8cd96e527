package dev.promptedge.runtime.onnx;

import java.util.List;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;

/**
 * Element-wise operators: the broadcasting binaries (ONNX broadcasts as NumPy does, as TFLite
 * does), unary maps and activations, and SOFTMAX over the last axis. Stateless.
 */
final class ElementwiseOps {

  private ElementwiseOps() {}

  static void add(SourceOp op, OnnxGraph g) {
    binary(
        op,
        g,
        "Add",
        op.options(AddOptionsT.class, new AddOptionsT()).getFusedActivationFunction());
  }

  static void sub(SourceOp op, OnnxGraph g) {
    binary(
        op,
        g,
        "Sub",
        op.options(SubOptionsT.class, new SubOptionsT()).getFusedActivationFunction());
  }

  static void mul(SourceOp op, OnnxGraph g) {
    binary(
        op,
        g,
        "Mul",
        op.options(MulOptionsT.class, new MulOptionsT()).getFusedActivationFunction());
  }

  static void div(SourceOp op, OnnxGraph g) {
    binary(
        op,
        g,
        "Div",
        op.options(DivOptionsT.class, new DivOptionsT()).getFusedActivationFunction());
  }

  private static void binary(SourceOp op, OnnxGraph g, String onnxOp, byte activation) {
    String pre = Conversions.preActivation(g, op, activation);
    g.node(onnxOp, List.of(g.value(op.input(0)), g.value(op.input(1))), pre);
    Conversions.activate(g, op, activation, pre);
  }

  /** (a − b)², as Sub then Mul. */
  static void squaredDifference(SourceOp op, OnnxGraph g) {
    String out = g.output(op.output());
    String d =
        g.temp("Sub", List.of(g.value(op.input(0)), g.value(op.input(1))), out + "/difference");
    g.node("Mul", List.of(d, d), out);
  }

  /** An operator that is one ONNX op of the same input, e.g. LOGISTIC as Sigmoid. */
  static OpConverter unary(String onnxOp) {
    return (op, g) -> g.node(onnxOp, List.of(g.value(op.input(0))), g.output(op.output()));
  }

  /** RSQRT as Reciprocal(Sqrt(x)). */
  static void rsqrt(SourceOp op, OnnxGraph g) {
    String out = g.output(op.output());
    String root = g.temp("Sqrt", List.of(g.value(op.input(0))), out + "/sqrt");
    g.node("Reciprocal", List.of(root), out);
  }

  static void relu6(SourceOp op, OnnxGraph g) {
    Conversions.activate(g, op, ActivationFunctionType.RELU6, g.value(op.input(0)));
  }

  static void reluN1To1(SourceOp op, OnnxGraph g) {
    Conversions.activate(g, op, ActivationFunctionType.RELU_N1_TO_1, g.value(op.input(0)));
  }

  /** SOFTMAX over the last axis; a beta other than 1 scales the logits first. */
  static void softmax(SourceOp op, OnnxGraph g) {
    float beta = op.options() == null ? 1f : op.options(SoftmaxOptionsT.class, null).getBeta();
    String x = g.value(op.input(0));
    String out = g.output(op.output());
    if (beta != 1f) {
      String b = g.floats(out + "/beta", new long[0], new float[] {beta});
      x = g.temp("Mul", List.of(x, b), out + "/scaled");
    }
    g.node("Softmax", List.of(x), out, OnnxGraph.integer("axis", -1));
  }
}
