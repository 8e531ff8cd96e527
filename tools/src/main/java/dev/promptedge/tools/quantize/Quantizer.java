package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Quantizes float32 TFLite models for the 2.6.2 interpreter, keeping every signature's names and
 * float32 inputs and outputs (and a dynamic batch) so that a runtime opens the result unchanged.
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * QuantizedModel dynamic = Quantizer.dynamicRange(floatModel);
 * QuantizedModel full = Quantizer.fullInteger(floatModel, Calibration.forBackbone(card, images, 7),
 *     InterpreterConfig.defaults());
 * }</pre>
 */
public final class Quantizer {

  private Quantizer() {}

  /**
   * Dynamic-range quantization: int8 weights for CONV_2D and DEPTHWISE_CONV_2D (per channel),
   * FULLY_CONNECTED (per tensor; 2.6.2's hybrid kernel ignores per-row scales) and BATCH_MATMUL
   * with a constant operand; activations, inputs and outputs stay float32.
   *
   * @throws QuantizationException when the model is not float32 (for instance already quantized)
   */
  public static QuantizedModel dynamicRange(byte[] floatModel) {
    ModelGraph graph = ModelGraph.parse(floatModel);
    graph.requireFloat("dynamic-range quantization");
    List<String> int8 =
        DynamicRangeRewriter.rewrite(
            graph,
            DynamicRangeRewriter.FULLY_CONNECTED_PER_CHANNEL,
            DynamicRangeRewriter.HYBRID_DEPTHWISE);
    if (int8.isEmpty()) {
      throw new QuantizationException(
          "the model has no CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or BATCH_MATMUL with"
              + " constant float weights;"
              + " dynamic-range quantization would change nothing");
    }
    return new QuantizedModel(graph.serialize(), Precision.INT8_DYNAMIC, int8, List.of());
  }

  /**
   * Full-integer quantization: int8 weights and activations with ranges measured by running {@code
   * calibration} through the float model in the interpreter; float32 signature inputs and outputs
   * kept through QUANTIZE and DEQUANTIZE at the edges. Ops the 2.6.2 int8 kernels cannot run stay
   * float32 between DEQUANTIZE and QUANTIZE and are listed in {@link QuantizedModel#floatOps()}.
   *
   * @throws QuantizationException when the model is not float32 or the calibration does not fit it
   */
  public static QuantizedModel fullInteger(
      byte[] floatModel, Calibration calibration, InterpreterConfig config) {
    return fullInteger(floatModel, calibration, config, (done, total) -> {});
  }

  /**
   * {@link #fullInteger(byte[], Calibration, InterpreterConfig)} that reports calibration progress
   * to {@code progress} as (samples run, samples to run).
   */
  public static QuantizedModel fullInteger(
      byte[] floatModel,
      Calibration calibration,
      InterpreterConfig config,
      BiConsumer<Integer, Integer> progress) {
    ModelGraph graph = ModelGraph.parse(floatModel);
    graph.requireFloat("full-integer quantization");
    TensorRanges ranges = TensorRanges.measure(floatModel, calibration, config, progress);
    Map<Integer, String> keepFloat =
        OpSensitivity.sensitiveOps(floatModel, ranges, calibration, config);
    return FullIntegerRewriter.rewrite(graph, ranges, keepFloat);
  }
}
