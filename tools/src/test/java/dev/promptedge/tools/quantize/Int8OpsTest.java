package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.graph.TfliteModelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;

/**
 * Element-wise ops that no builder model runs int8 on its own: each in a one-op model, quantized to
 * full integer with calibration on N(0, 3²) inputs and compared with the float model on held-out
 * inputs in the 2.6.2 interpreter.
 */
class Int8OpsTest {

  private static final String KEY = "serving_default";

  /**
   * Measured on 8 held-out samples of 64 values (worst cosine, max abs error / max abs reference):
   * RELU 0.99990, 0.063 / 9.3; RELU6 0.99993, 0.054 / 6; TANH 0.99988, 0.043 / 1 (input steps of
   * 0.09 dominate); SQUARED_DIFFERENCE 0.99983, 5.4 / 158.
   */
  @ParameterizedTest
  @ValueSource(strings = {"RELU", "RELU6", "TANH", "SQUARED_DIFFERENCE"})
  void runsInt8WithSmallDrift(String name) {
    int code = opcode(name);
    boolean binary = code == BuiltinOperator.SQUARED_DIFFERENCE;
    byte[] model = oneOp(code, binary);
    QuantizedModel full =
        Quantizer.fullInteger(
            model, Calibration.of(samples(binary, 32, 1)), QuantizeFixtures.CONFIG);
    assertEquals(List.of(), full.floatOps());
    assertTrue(full.int8Ops().contains(name + " out"), full.int8Ops().toString());
    Drift drift =
        Drift.measure(
            model, full.bytes(), KEY, "out", samples(binary, 8, 2), QuantizeFixtures.CONFIG);
    assertTrue(drift.minCosine() >= 0.999, drift.toString());
    assertTrue(drift.maxAbsError() <= 0.05 * drift.maxAbsReference(), drift.toString());
  }

  private static int opcode(String name) {
    for (int code = 0; code < 200; code++) {
      if (name.equals(BuiltinOperator.name(code))) {
        return code;
      }
    }
    throw new IllegalArgumentException(name);
  }

  private static byte[] oneOp(int code, boolean binary) {
    TfliteModelBuilder b = new TfliteModelBuilder("one int8 op");
    int a = b.activation("a", -1, 64);
    b.input("a", a);
    int[] inputs = {a};
    if (binary) {
      int c = b.activation("b", -1, 64);
      b.input("b", c);
      inputs = new int[] {a, c};
    }
    int out = b.activation("out", -1, 64);
    b.operator(code, BuiltinOptions.NONE, null, inputs, new int[] {out});
    return b.signatureKey(KEY).output("out", out).build();
  }

  private static List<Map<String, float[]>> samples(boolean binary, int count, long seed) {
    Random random = new Random(seed);
    List<Map<String, float[]>> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      float[] a = gaussian(random);
      samples.add(binary ? Map.of("a", a, "b", gaussian(random)) : Map.of("a", a));
    }
    return samples;
  }

  private static float[] gaussian(Random random) {
    float[] v = new float[64];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * 3);
    }
    return v;
  }
}
