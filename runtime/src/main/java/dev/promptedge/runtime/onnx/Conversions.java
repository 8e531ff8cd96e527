package dev.promptedge.runtime.onnx;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.ActivationFunctionType;

/**
 * Helpers every op converter shares: the one refusal message, fused activations, constant operands
 * and layout changes between NHWC and NCHW. Stateless.
 */
final class Conversions {

  static final int[] TO_NCHW = {0, 3, 1, 2};
  static final int[] TO_NHWC = {0, 2, 3, 1};

  private Conversions() {}

  /** The one error for an operator the converter cannot express, naming op and output tensor. */
  static IllegalArgumentException refuse(SourceOp op, OnnxGraph graph, String why) {
    String tensor = op.outputs().length > 0 ? graph.source().name(op.output()) : "?";
    return new IllegalArgumentException(
        "operator "
            + op.position()
            + " ("
            + op.name()
            + ", writing tensor '"
            + tensor
            + "') cannot be converted to ONNX: "
            + why);
  }

  /**
   * Where the op itself writes: its output when {@code activation} is NONE, else a fresh value that
   * {@link #activate} then maps to the output.
   */
  static String preActivation(OnnxGraph graph, SourceOp op, byte activation) {
    String out = graph.output(op.output());
    return activation == ActivationFunctionType.NONE ? out : graph.fresh(out + "/pre_activation");
  }

  /** Applies fused {@code activation} to {@code pre}, writing the op's output. */
  static void activate(OnnxGraph graph, SourceOp op, byte activation, String pre) {
    String out = graph.output(op.output());
    switch (activation) {
      case ActivationFunctionType.NONE -> {}
      case ActivationFunctionType.RELU -> graph.node("Relu", List.of(pre), out);
      case ActivationFunctionType.RELU6 -> clip(graph, pre, out, 0f, 6f);
      case ActivationFunctionType.RELU_N1_TO_1 -> clip(graph, pre, out, -1f, 1f);
      case ActivationFunctionType.TANH -> graph.node("Tanh", List.of(pre), out);
      default ->
          throw refuse(
              op,
              graph,
              "fused activation " + ActivationFunctionType.name(activation) + " has no ONNX form");
    }
  }

  /** Clip of {@code x} to [{@code min}, {@code max}] into {@code out}. */
  static void clip(OnnxGraph graph, String x, String out, float min, float max) {
    String lo = graph.floats(out + "/min", new long[0], new float[] {min});
    String hi = graph.floats(out + "/max", new long[0], new float[] {max});
    graph.node("Clip", List.of(x, lo, hi), out);
  }

  /** The int32 values of constant input {@code i}; refuses a computed one. */
  static int[] constantInts(SourceOp op, OnnxGraph graph, int i, String what) {
    int tensor = op.input(i);
    if (tensor < 0 || !graph.source().isConstant(tensor)) {
      throw refuse(op, graph, what + " must be a constant tensor");
    }
    return graph.source().ints(tensor);
  }

  /** A Transpose of {@code x} by {@code perm} into a fresh value. */
  static String transpose(OnnxGraph graph, String x, int[] perm, String hint) {
    return graph.temp("Transpose", List.of(x), hint, OnnxGraph.ints("perm", perm));
  }

  static long[] permuted(int[] shape, int[] perm) {
    return Arrays.stream(perm).mapToLong(p -> shape[p]).toArray();
  }
}
