package dev.promptedge.runtime.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsWeightsFormat;

/**
 * FULLY_CONNECTED as MatMul plus Add (int8: as Gemm, which ONNX Runtime fuses into QGemm), and
 * BATCH_MATMUL as MatMul with adjoint Transposes.
 */
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
    if (source.quantization(op.output()) != null && source.isConstant(op.input(1))) {
      quantizedGemm(op, g, o);
      return;
    }
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

  /**
   * An int8 FULLY_CONNECTED with a constant weight as Gemm(x [-1, in], W [out, in], transB) with
   * the int32 bias as its C input, reshaped back to the output's shape: the pattern ONNX Runtime
   * fuses with its Q/DQ neighbours into one int8 QGemm (bias and requantization included). Measured
   * on the demo ViT at 1 thread against MatMul + Add, which ONNX Runtime runs as
   * MatMulIntegerToFloat, a float Add and a QuantizeLinear: the same features, 2-5 % less time.
   */
  private static void quantizedGemm(SourceOp op, OnnxGraph g, FullyConnectedOptionsT o) {
    SourceModel source = g.source();
    String out = g.output(op.output());
    int weight = op.input(1);
    int[] weightShape = source.staticShape(weight);
    int[] inShape = source.shape(op.input(0));
    int[] outShape = source.shape(op.output());
    String x = g.value(op.input(0));
    if (inShape.length != 2) {
      x =
          g.temp(
              "Reshape",
              List.of(x, g.int64s(out + "/flat_shape", -1, weightShape[1])),
              out + "/flat");
    }
    long dynamic = Arrays.stream(outShape).filter(d -> d < 0).count();
    if (outShape.length != 2 && dynamic > 1) {
      throw Conversions.refuse(op, g, "an int8 output needs at most one dynamic dimension");
    }
    String w = g.constant(weight, new int[] {0, 1}, source.name(weight) + "/int8");
    List<String> inputs = new ArrayList<>(List.of(x, w));
    if (op.input(2) >= 0) {
      inputs.add(g.value(op.input(2)));
    }
    byte activation = o.getFusedActivationFunction();
    String pre = Conversions.preActivation(g, op, activation);
    if (outShape.length == 2) {
      g.node("Gemm", inputs, pre, OnnxGraph.integer("transB", 1));
    } else {
      String y = g.temp("Gemm", inputs, out + "/gemm", OnnxGraph.integer("transB", 1));
      long[] shape = Arrays.stream(outShape).asLongStream().toArray();
      g.node("Reshape", List.of(y, g.int64s(out + "/shape", shape)), pre);
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
