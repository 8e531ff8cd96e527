package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import org.tensorflow.lite.schema.BuiltinOperator;

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

  /**
   * Op kinds whose int8 kernels are slower than float by far in the x86-64 TFLite 2.6.2 native
   * library the host uses (DJL's build has no SIMD int8 GEMM: ruy/gemmlowp run their portable C++
   * path). Measured on the demo-size ViT at 1 thread ({@code SpeedProbe}): FULLY_CONNECTED
   * [1,72,96]x[96,96] 2.03 ms int8 vs 0.036 ms float, [1,72,96]x[384,96] 7.8 vs 0.15; BATCH_MATMUL
   * [1,3,72,32]x[1,3,72,32]ᵀ 1.73 vs 0.030; CONV_2D (patch embedding) uses the same GEMM. Keeping
   * them float ({@link #fullInteger(byte[], Calibration, InterpreterConfig, Set, BiConsumer)}) is
   * for x86 hosts only: on ARM boards ruy's NEON kernels make them fast in int8.
   */
  public static final Set<Integer> SLOW_INT8_ON_X86 =
      Set.of(
          BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.BATCH_MATMUL, BuiltinOperator.CONV_2D);

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
    return fullInteger(floatModel, calibration, config, Set.of(), progress);
  }

  /**
   * {@link #fullInteger(byte[], Calibration, InterpreterConfig, BiConsumer)} that keeps every op
   * whose builtin code is in {@code floatKinds} float32 (for instance {@link #SLOW_INT8_ON_X86});
   * they are listed in {@link QuantizedModel#floatOps()}.
   */
  public static QuantizedModel fullInteger(
      byte[] floatModel,
      Calibration calibration,
      InterpreterConfig config,
      Set<Integer> floatKinds,
      BiConsumer<Integer, Integer> progress) {
    ModelGraph graph = ModelGraph.parse(floatModel);
    graph.requireFloat("full-integer quantization");
    TensorRanges ranges = TensorRanges.measure(floatModel, calibration, config, progress);
    BiPredicate<Integer, Integer> allowed = (position, code) -> !floatKinds.contains(code);
    Map<Integer, String> keepFloat =
        OpSensitivity.sensitiveOps(floatModel, ranges, calibration, config, allowed);
    return FullIntegerRewriter.rewrite(graph, ranges, allowed, keepFloat);
  }
}
