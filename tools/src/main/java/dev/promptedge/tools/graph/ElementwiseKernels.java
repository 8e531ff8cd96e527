package dev.promptedge.tools.graph;

import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;

/** Element-wise kernels with NumPy broadcasting: arithmetic and activations. */
final class ElementwiseKernels {

  private ElementwiseKernels() {}

  static Kernel compile(KernelContext c) {
    Object options = c.node().options();
    switch (c.node().opcode()) {
      case BuiltinOperator.ADD:
        return Kernels.fused(c, activation(options), in -> in[0].add(in[1]));
      case BuiltinOperator.SUB:
        return Kernels.fused(c, activation(options), in -> in[0].sub(in[1]));
      case BuiltinOperator.MUL:
        return Kernels.fused(c, activation(options), in -> in[0].mul(in[1]));
      case BuiltinOperator.DIV:
        return Kernels.fused(c, activation(options), in -> in[0].div(in[1]));
      case BuiltinOperator.SQUARED_DIFFERENCE:
        return in -> in[0].sub(in[1]).square();
      case BuiltinOperator.RSQRT:
        return in -> in[0].pow(-0.5);
      case BuiltinOperator.RELU:
        return in -> Kernels.relu(in[0]);
      case BuiltinOperator.RELU6:
        return in -> in[0].clip(0, 6);
      case BuiltinOperator.HARD_SWISH:
        return in -> in[0].mul(in[0].add(3).clip(0, 6)).div(6);
      case BuiltinOperator.LOGISTIC:
        return in -> in[0].getNDArrayInternal().sigmoid();
      case BuiltinOperator.TANH:
        return in -> in[0].tanh();
      default:
        throw c.unsupported("not an element-wise operator");
    }
  }

  /** The fused activation of an ADD/SUB/MUL/DIV (NONE when the options are absent). */
  private static byte activation(Object options) {
    if (options instanceof AddOptionsT o) {
      return o.getFusedActivationFunction();
    }
    if (options instanceof SubOptionsT o) {
      return o.getFusedActivationFunction();
    }
    if (options instanceof MulOptionsT o) {
      return o.getFusedActivationFunction();
    }
    if (options instanceof DivOptionsT o) {
      return o.getFusedActivationFunction();
    }
    return 0;
  }
}
