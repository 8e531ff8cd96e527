package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsWeightsFormat;
import org.tensorflow.lite.schema.SoftmaxOptionsT;

/** FULLY_CONNECTED (weights [out, in]), BATCH_MATMUL (with adjoints, broadcast) and SOFTMAX. */
final class MatrixKernels {

  private MatrixKernels() {}

  static Kernel compile(KernelContext c) {
    switch (c.node().opcode()) {
      case BuiltinOperator.FULLY_CONNECTED:
        return fullyConnected(c);
      case BuiltinOperator.BATCH_MATMUL:
        {
          BatchMatMulOptionsT o = (BatchMatMulOptionsT) c.node().options();
          boolean adjX = o != null && o.getAdjX();
          boolean adjY = o != null && o.getAdjY();
          return in -> {
            NDArray a = adjX ? in[0].swapAxes(-1, -2) : in[0];
            NDArray b = adjY ? in[1].swapAxes(-1, -2) : in[1];
            return a.matMul(b);
          };
        }
      case BuiltinOperator.SOFTMAX:
        {
          float beta = c.node().options() instanceof SoftmaxOptionsT o ? o.getBeta() : 1f;
          if (beta == 1f) {
            return in -> in[0].softmax(-1);
          }
          return in -> in[0].mul(beta).softmax(-1);
        }
      default:
        throw c.unsupported("not a matrix operator");
    }
  }

  private static Kernel fullyConnected(KernelContext c) {
    FullyConnectedOptionsT o = (FullyConnectedOptionsT) c.node().options();
    if (o != null && o.getWeightsFormat() != FullyConnectedOptionsWeightsFormat.DEFAULT) {
      throw c.unsupported("shuffled weights are not supported; export with the default format");
    }
    byte activation = o == null ? 0 : o.getFusedActivationFunction();
    if (activation == ActivationFunctionType.TANH
        || activation == ActivationFunctionType.SIGN_BIT) {
      throw c.unsupported("the 2.6.2 interpreter refuses a fused TANH on FULLY_CONNECTED too");
    }
    boolean keep = o != null && o.getKeepNumDims();
    boolean hasBias = c.hasInput(2);
    int inDim = c.inputShape(1)[1];
    Kernel kernel =
        in -> {
          NDArray x = keep ? in[0] : in[0].reshape(-1, inDim);
          if (hasBias) {
            return x.getNDArrayInternal().linear(x, in[1], in[2]).singletonOrThrow();
          }
          return x.matMul(in[1].transpose());
        };
    return Kernels.fused(c, activation, kernel);
  }
}
