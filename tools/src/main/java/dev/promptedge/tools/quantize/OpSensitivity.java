package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.engine.InterpreterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorMapT;

/**
 * Finds the ops that int8 alone would spoil: each candidate op is made int8 on its own (the rest
 * float) and the model's outputs on calibration samples are compared with the float model's. An op
 * whose worst cosine similarity falls below {@link #COSINE_FLOOR} stays float in the full-integer
 * model. This catches what per-tensor int8 cannot represent, e.g. layer norm over tokens of very
 * different scale (small prompt tokens beside patch tokens), where the variance of a prompt token
 * rounds to 0 and its reciprocal square root explodes.
 */
final class OpSensitivity {

  /** Worst per-sample cosine similarity of every output that one int8 op may leave. */
  static final double COSINE_FLOOR = 0.999;

  /** Calibration samples used for the comparison. */
  static final int SAMPLES = 8;

  private OpSensitivity() {}

  /**
   * Positions (in the float model) of ops to keep float, with the reason for each; only ops that
   * {@code allowed} accepts (position, builtin code) are tried.
   */
  static Map<Integer, String> sensitiveOps(
      byte[] floatModel,
      TensorRanges ranges,
      Calibration calibration,
      InterpreterConfig config,
      java.util.function.BiPredicate<Integer, Integer> allowed) {
    ModelGraph graph = ModelGraph.parse(floatModel);
    SignatureDefT signature = graph.signatures()[0];
    List<String> outputs = new ArrayList<>();
    for (TensorMapT map : signature.getOutputs()) {
      outputs.add(map.getName());
    }
    List<Map<String, float[]>> samples =
        calibration.samples().subList(0, Math.min(SAMPLES, calibration.samples().size()));
    Map<Integer, String> sensitive = new java.util.TreeMap<>();
    int count = graph.operators.size();
    for (int position = 0; position < count; position++) {
      int only = position;
      QuantizedModel one =
          FullIntegerRewriter.rewrite(
              ModelGraph.parse(floatModel),
              ranges,
              (p, code) -> p == only && allowed.test(p, code));
      if (one.int8Ops().isEmpty()) {
        continue;
      }
      for (String output : outputs) {
        Drift drift =
            Drift.measure(
                floatModel, one.bytes(), signature.getSignatureKey(), output, samples, config);
        if (!(drift.minCosine() >= COSINE_FLOOR)) {
          sensitive.put(
              position,
              String.format(
                  "kept float: int8 alone brings '%s' to cosine %.4f on calibration data",
                  output, drift.minCosine()));
          break;
        }
      }
    }
    return sensitive;
  }
}
