package dev.promptedge.tools.graph;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Runs one model in the TFLite 2.6.2 interpreter (through the runtime's {@link SignatureRunner},
 * one thread, no XNNPACK) and on the host engine with the same inputs, and measures the largest
 * difference against the output's scale. Stateless; each call creates and closes both engines.
 */
public final class InterpreterParity {

  /** The tolerance the host engine is held to: max abs error ≤ 1e-4 × max |output|. */
  public static final double TOLERANCE = 1e-4;

  /**
   * Largest |host − interpreter| over all outputs and the largest |interpreter output|.
   *
   * @param maxAbsError largest absolute difference (infinite when either side gave NaN)
   * @param scale largest magnitude of the interpreter's outputs
   */
  public record Result(double maxAbsError, double scale) {

    /** The error relative to the output's scale. */
    public double relative() {
      return maxAbsError / Math.max(scale, 1e-6);
    }

    /** True when the relative error is within {@link #TOLERANCE}. */
    public boolean ok() {
      return relative() <= TOLERANCE;
    }
  }

  private InterpreterParity() {}

  /** Compares both engines on {@code inputs} (batch {@code batch}, row-major floats). */
  public static Result compare(
      byte[] model, String signature, Map<String, float[]> inputs, int batch) {
    Map<String, float[]> expected;
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    try (SignatureRunner runner =
        SignatureRunner.open(
            buffer, signature, new InterpreterConfig(1, false, Optional.empty()))) {
      expected = runner.run(inputs, batch);
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
        throw new IllegalStateException(
            "output '"
                + e.getKey()
                + "': the interpreter gave "
                + x.length
                + " values, the host engine "
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

  /** Standard-normal inputs for every signature input of {@code graph}, batch {@code batch}. */
  public static Map<String, float[]> randomInputs(TfliteGraph graph, int batch, long seed) {
    Random random = new Random(seed);
    Map<String, float[]> inputs = new LinkedHashMap<>();
    for (String name : graph.inputNames()) {
      int[] shape = graph.shapeOf(name);
      long size = 1;
      for (int i = 0; i < shape.length; i++) {
        int dim = i == 0 && shape[i] == -1 ? batch : shape[i];
        if (dim < 0) {
          throw new IllegalArgumentException(
              "input '" + name + "' has a dynamic dimension " + i + " besides the batch");
        }
        size *= dim;
      }
      float[] values = new float[Math.toIntExact(size)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) random.nextGaussian();
      }
      inputs.put(name, values);
    }
    return inputs;
  }
}
