package dev.promptedge.tools.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Runs one model in the real TFLite 2.6.2 interpreter and on the host engine with the same inputs
 * and measures the largest difference relative to the output's scale (its largest magnitude).
 */
final class Parity {

  /** Largest |DJL − TFLite| over all outputs, and the largest |TFLite output| it is scaled by. */
  record Result(double maxAbsError, double scale) {
    double relative() {
      return maxAbsError / Math.max(scale, 1e-6);
    }
  }

  /** The tolerance of the issue: max abs error ≤ 1e-4 of the output's scale. */
  static final double TOLERANCE = 1e-4;

  private Parity() {}

  static Result compare(byte[] model, String signature, Map<String, float[]> inputs, int batch) {
    Map<String, float[]> expected;
    try (TfliteRunner runner = new TfliteRunner(model, signature)) {
      expected = runner.signature().run(inputs, batch);
    }
    Map<String, float[]> actual;
    try (GraphExecutor exec = GraphExecutor.builder(TfliteGraph.read(model, signature)).build()) {
      actual = exec.run(inputs, batch);
    }
    double error = 0;
    double scale = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] a = actual.get(e.getKey());
      float[] x = e.getValue();
      if (a == null || a.length != x.length) {
        throw new AssertionError(
            "output "
                + e.getKey()
                + ": interpreter gave "
                + x.length
                + " values, host engine "
                + (a == null ? "none" : a.length));
      }
      for (int i = 0; i < x.length; i++) {
        if (Float.isNaN(a[i]) || Float.isNaN(x[i])) {
          error = Double.POSITIVE_INFINITY;
          continue;
        }
        error = Math.max(error, Math.abs(a[i] - x[i]));
        scale = Math.max(scale, Math.abs(x[i]));
      }
    }
    return new Result(error, scale);
  }

  /** Random inputs of the graph's signature for {@code batch} samples (normal × {@code std}). */
  static Map<String, float[]> randomInputs(byte[] model, String signature, int batch, long seed) {
    TfliteGraph graph = TfliteGraph.read(model, signature);
    Random random = new Random(seed);
    Map<String, float[]> inputs = new LinkedHashMap<>();
    for (String name : graph.inputNames()) {
      int[] shape = graph.shapeOf(name);
      int size = 1;
      for (int i = 0; i < shape.length; i++) {
        size *= i == 0 && shape[i] == -1 ? batch : shape[i];
      }
      inputs.put(name, gaussian(random, size, 1));
    }
    return inputs;
  }

  static float[] gaussian(Random random, int size, double std) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return values;
  }
}
