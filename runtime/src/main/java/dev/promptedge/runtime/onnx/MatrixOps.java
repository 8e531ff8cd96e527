package dev.promptedge.runtime.onnx;

import java.util.List;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsWeightsFormat;

/** FULLY_CONNECTED as MatMul plus Add, and BATCH_MATMUL as MatMul with adjoint Transposes. */
final class MatrixOps {

  private MatrixOps() {}

  /**
   * FULLY_CONNECTED x·Wᵀ + b with weight [out, in]: a constant weight is stored transposed, a
   * computed one gets a Transpose. Without keep_num_dims the input is flattened to [-1, in] first,
   * as TFLite does.
   */
  static void fullyConnected(SourceOp op, OnnxGraph g) {
    FullyConnectedOptionsT o =
        op.options(FullyConnectedOptionsT.class, new FullyConnectedOptionsT());
    if (o.getWeightsFormat() != FullyConnectedOptionsWeightsFormat.DEFAULT) {
      throw Conversions.refuse(op, g, "only the DEFAULT weights format is supported");
    }
    SourceModel source = g.source();
    String out = g.output(op.output());
    int weight = op.input(1);
    int[] weightShape = source.staticShape(weight);
    int inDim = weightShape[1];
    String x = g.value(op.input(0));
    if (!o.getKeepNumDims() && source.shape(op.input(0)).length != 2) {
      x = g.temp("Reshape", List.of(x, g.int64s(out + "/flat_shape", -1, inDim)), out + "/flat");
    }
    String w;
    if (source.isConstant(weight)) {
      w = g.constant(weight, new int[] {1, 0}, source.name(weight) + "/transposed");
    } else {
      w = Conversions.transpose(g, g.value(weight), new int[] {1, 0}, out + "/weight_t");
    }
    byte activation = o.getFusedActivationFunction();
    String pre = Conversions.preActivation(g, op, activation);
    if (op.input(2) < 0) {
      g.node("MatMul", List.of(x, w), pre);
    } else {
      String product = g.temp("MatMul", List.of(x, w), out + "/matmul");
      g.node("Add", List.of(product, g.value(op.input(2))), pre);
    }
    Conversions.activate(g, op, activation, pre);
  }

  /** BATCH_MATMUL with NumPy batch broadcasting; adj_x / adj_y swap the last two axes first. */
  static void batchMatMul(SourceOp op, OnnxGraph g) {
    BatchMatMulOptionsT o = op.options(BatchMatMulOptionsT.class, new BatchMatMulOptionsT());
    String out = g.output(op.output());
    String a = adjoint(g, op.input(0), o.getAdjX(), out + "/a_t");
    String b = adjoint(g, op.input(1), o.getAdjY(), out + "/b_t");
    g.node("MatMul", List.of(a, b), out);
  }

  private static String adjoint(OnnxGraph g, int tensor, boolean adjoint, String hint) {
    String x = g.value(tensor);
    if (!adjoint) {
      return x;
    }
    int rank = g.source().shape(tensor).length;
    int[] perm = new int[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return Conversions.transpose(g, x, perm, hint);
  }
}
