package dev.promptedge.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Runs a TFLite model in the real TFLite 2.6.2 interpreter and its conversion in ONNX Runtime on
 * the same seeded inputs, and asserts every output agrees within 1e-4 of the output's scale (its
 * largest magnitude, at least 1).
 */
public final class Parity {

  /** Largest error allowed between engines, as a fraction of the expected output's scale. */
  public static final double TOLERANCE = 1e-4;

  private Parity() {}

  /**
   * Converts and compares signature {@code key} at {@code batch}; returns the worst relative error.
   */
  static double check(byte[] tflite, String key, int batch, long seed) throws Exception {
    byte[] onnx = TfliteToOnnx.convert(tflite, key).toByteArray();
    ByteBuffer buffer = ByteBuffer.allocateDirect(tflite.length).order(ByteOrder.nativeOrder());
    buffer.put(tflite).rewind();
    Random random = new Random(seed);
    double worst = 0;
    try (SignatureRunner tfl =
            SignatureRunner.open(buffer, key, new InterpreterConfig(1, false, Optional.empty()));
        OrtRunner ort = new OrtRunner(onnx)) {
      Map<String, float[]> inputs = new LinkedHashMap<>();
      Map<String, long[]> shapes = new HashMap<>();
      for (String name : tfl.inputNames()) {
        long[] shape = Arrays.stream(tfl.input(name).signature()).asLongStream().toArray();
        shape[0] = batch;
        float[] values =
            new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextGaussian();
        }
        inputs.put(name, values);
        shapes.put(name, shape);
      }
      Map<String, float[]> expected = tfl.run(inputs, batch);
      Map<String, OrtRunner.Output> actual = ort.run(inputs, shapes);
      assertEquals(expected.keySet(), actual.keySet(), "output names");
      for (String name : tfl.outputNames()) {
        long[] shape = Arrays.stream(tfl.output(name).shape()).asLongStream().toArray();
        assertArrayEquals(shape, actual.get(name).shape(), name + " shape");
        double error = relativeError(expected.get(name), actual.get(name).values());
        assertTrue(
            error <= TOLERANCE,
            name + " differs by " + error + " of its scale (batch " + batch + ")");
        worst = Math.max(worst, error);
      }
    }
    return worst;
  }

  /** Max |a − b| over max(1, max |a|). */
  public static double relativeError(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "output size");
    double scale = 1;
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      max = Math.max(max, Math.abs(expected[i] - actual[i]));
    }
    return max / scale;
  }
}
