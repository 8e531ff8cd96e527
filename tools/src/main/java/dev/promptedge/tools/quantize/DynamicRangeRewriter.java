package dev.promptedge.tools.quantize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Dynamic-range quantization: the constant weights of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED
 * and BATCH_MATMUL become symmetric int8 and those ops run as TFLite "hybrid" kernels (float
 * activations quantized on the fly); every other tensor and op stays float32.
 *
 * <p>CONV_2D weights get one scale per output channel, DEPTHWISE_CONV_2D weights one per channel of
 * their last dimension (2.6.2's hybrid depthwise kernel honours them, see {@code
 * CnnQuantizationTest}). FULLY_CONNECTED weights get one scale per tensor when {@link
 * #FULLY_CONNECTED_PER_CHANNEL} is false: the 2.6.2 hybrid FULLY_CONNECTED kernel reads only the
 * first scale (see {@code QuantizerTest}), so per-row scales would be silently wrong. BATCH_MATMUL
 * with a constant right operand gets one scale per tensor.
 */
final class DynamicRangeRewriter {

  /** Whether the 2.6.2 hybrid FULLY_CONNECTED kernel honours per-row weight scales. */
  static final boolean FULLY_CONNECTED_PER_CHANNEL = false;

  /** Whether DEPTHWISE_CONV_2D gets int8 weights (2.6.2's hybrid per-channel kernel). */
  static final boolean HYBRID_DEPTHWISE = true;

  private DynamicRangeRewriter() {}

  /** Rewrites {@code graph} in place and lists what became int8. */
  static List<String> rewrite(
      ModelGraph graph, boolean fullyConnectedPerChannel, boolean hybridDepthwise) {
    List<String> done = new ArrayList<>();
    Map<Integer, Integer> quantized = new HashMap<>();
    for (OperatorT op : graph.operators) {
      int code = graph.builtin(op);
      boolean conv = code == BuiltinOperator.CONV_2D;
      boolean fc = code == BuiltinOperator.FULLY_CONNECTED;
      boolean bmm = code == BuiltinOperator.BATCH_MATMUL;
      boolean depthwise = code == BuiltinOperator.DEPTHWISE_CONV_2D && hybridDepthwise;
      if (!(conv || fc || bmm || depthwise) || op.getInputs().length < 2) {
        continue;
      }
      int[] inputs = op.getInputs();
      int w = inputs[1];
      if (w < 0 || !graph.isConstant(w) || graph.tensor(w).getType() != TensorType.FLOAT32) {
        continue;
      }
      boolean perChannel = conv || depthwise || (fc && fullyConnectedPerChannel);
      Integer replacement = quantized.get(w);
      if (replacement == null) {
        TensorT weight = graph.tensor(w);
        int[] shape = weight.getShape();
        Int8Math.Quantized q =
            depthwise
                ? Int8Math.symmetricLastAxis(graph.floatData(w), shape[shape.length - 1])
                : Int8Math.symmetric(graph.floatData(w), perChannel ? shape[0] : 1);
        replacement =
            graph.addConstant(
                weight.getName(),
                TensorType.INT8,
                weight.getShape(),
                q.data(),
                q.params().toSchema());
        quantized.put(w, replacement);
      }
      inputs[1] = replacement;
      op.setInputs(inputs);
      String name = graph.tensor(op.getOutputs()[0]).getName();
      done.add(
          BuiltinOperator.name(code)
              + " "
              + name
              + ": int8 weights "
              + (perChannel ? "per output channel" : "per tensor"));
    }
    return done;
  }
}
