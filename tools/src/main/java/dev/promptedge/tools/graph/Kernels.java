package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * The operators the host engine runs, each compiled by its family: element-wise, convolution and
 * pooling, shape, matrix and resize kernels. Also the fused activations every family honours.
 */
final class Kernels {

  private static final Map<Integer, Function<KernelContext, Kernel>> COMPILERS = new TreeMap<>();

  static {
    for (int op :
        new int[] {
          BuiltinOperator.ADD,
          BuiltinOperator.SUB,
          BuiltinOperator.MUL,
          BuiltinOperator.DIV,
          BuiltinOperator.SQUARED_DIFFERENCE,
          BuiltinOperator.RSQRT,
          BuiltinOperator.RELU,
          BuiltinOperator.RELU6,
          BuiltinOperator.HARD_SWISH,
          BuiltinOperator.LOGISTIC,
          BuiltinOperator.TANH
        }) {
      COMPILERS.put(op, ElementwiseKernels::compile);
    }
    for (int op :
        new int[] {
          BuiltinOperator.CONV_2D,
          BuiltinOperator.DEPTHWISE_CONV_2D,
          BuiltinOperator.AVERAGE_POOL_2D,
          BuiltinOperator.MAX_POOL_2D
        }) {
      COMPILERS.put(op, ConvKernels::compile);
    }
    for (int op :
        new int[] {
          BuiltinOperator.RESHAPE,
          BuiltinOperator.TRANSPOSE,
          BuiltinOperator.CONCATENATION,
          BuiltinOperator.STRIDED_SLICE,
          BuiltinOperator.PAD,
          BuiltinOperator.MEAN
        }) {
      COMPILERS.put(op, ShapeKernels::compile);
    }
    for (int op :
        new int[] {
          BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.BATCH_MATMUL, BuiltinOperator.SOFTMAX
        }) {
      COMPILERS.put(op, MatrixKernels::compile);
    }
    COMPILERS.put(BuiltinOperator.RESIZE_BILINEAR, ResizeKernels::compile);
  }

  private Kernels() {}

  static boolean supports(int opcode) {
    return COMPILERS.containsKey(opcode);
  }

  /** The supported operator names, comma separated. */
  static String supportedNames() {
    StringBuilder names = new StringBuilder();
    for (int op : COMPILERS.keySet()) {
      names.append(names.length() == 0 ? "" : ", ").append(TfliteGraph.opName(op));
    }
    return names.toString();
  }

  /** Compiles the context's operator; throws naming it when its options are not supported. */
  static Kernel compile(KernelContext context) {
    Function<KernelContext, Kernel> compiler = COMPILERS.get(context.node().opcode());
    if (compiler == null) {
      throw new IllegalArgumentException(TfliteGraph.unsupported(context.node()));
    }
    return compiler.apply(context);
  }

  /**
   * Wraps {@code kernel} with fused activation {@code activation} as the interpreter's float
   * kernels apply it: RELU, RELU6 and RELU_N1_TO_1 clamp; TANH is ignored, as 2.6.2 ignores it.
   */
  static Kernel fused(KernelContext context, byte activation, Kernel kernel) {
    switch (activation) {
      case ActivationFunctionType.NONE:
        return kernel;
      case ActivationFunctionType.RELU:
        return in -> relu(kernel.apply(in));
      case ActivationFunctionType.RELU6:
        return in -> kernel.apply(in).clip(0, 6);
      case ActivationFunctionType.RELU_N1_TO_1:
        return in -> kernel.apply(in).clip(-1, 1);
      case ActivationFunctionType.TANH:
        // TFLite 2.6.2's float kernels (CalculateActivationRange) treat a fused TANH as no
        // activation at all; the host engine computes what the device computes.
        return kernel;
      default:
        throw context.unsupported(
            "fused activation " + ActivationFunctionType.name(activation) + " is not supported");
    }
  }

  static NDArray relu(NDArray x) {
    return x.getNDArrayInternal().relu();
  }
}
