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
 * Dynamic-range quantization: the constant weights of CONV_2D, FULLY_CONNECTED and BATCH_MATMUL
 * become symmetric int8 and those ops run as TFLite "hybrid" kernels (float activations quantized
 * on the fly); every other tensor and op stays float32.
 *
 * <p>CONV_2D weights get one scale per output channel. FULLY_CONNECTED weights get one scale per
 * tensor when {@link #FULLY_CONNECTED_PER_CHANNEL} is false: the 2.6.2 hybrid FULLY_CONNECTED
 * kernel reads only the first scale (see {@code QuantizerTest}), so per-row scales would be
 * silently wrong. BATCH_MATMUL with a constant right operand gets one scale per tensor.
 */
final class DynamicRangeRewriter {

  /** Whether the 2.6.2 hybrid FULLY_CONNECTED kernel honours per-row weight scales. */
  static final boolean FULLY_CONNECTED_PER_CHANNEL = false;

  private DynamicRangeRewriter() {}

  /** Rewrites {@code graph} in place and lists what became int8. */
  static List<String> rewrite(ModelGraph graph, boolean fullyConnectedPerChannel) {
    List<String> done = new ArrayList<>();
    Map<Integer, Integer> quantized = new HashMap<>();
    for (OperatorT op : graph.operators) {
      int code = graph.builtin(op);
      boolean conv = code == BuiltinOperator.CONV_2D;
      boolean fc = code == BuiltinOperator.FULLY_CONNECTED;
      boolean bmm = code == BuiltinOperator.BATCH_MATMUL;
      if (!(conv || fc || bmm) || op.getInputs().length < 2) {
        continue;
      }
      int[] inputs = op.getInputs();
      int w = inputs[1];
      if (w < 0 || !graph.isConstant(w) || graph.tensor(w).getType() != TensorType.FLOAT32) {
        continue;
      }
      boolean perChannel = conv || (fc && fullyConnectedPerChannel);
      Integer replacement = quantized.get(w);
      if (replacement == null) {
        TensorT weight = graph.tensor(w);
        int channels = perChannel ? weight.getShape()[0] : 1;
        Int8Math.Quantized q = Int8Math.symmetric(graph.floatData(w), channels);
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
