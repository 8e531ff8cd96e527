package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * How far a quantized model's output drifts from the float model's on the same inputs, both run in
 * the interpreter: cosine similarity per sample (mean and worst) and the largest absolute error,
 * next to the largest absolute reference value for scale. Immutable.
 *
 * @param meanCosine mean over samples of the cosine similarity of the two outputs
 * @param minCosine the worst sample's cosine similarity
 * @param maxAbsError the largest |quantized − float| over all samples and elements
 * @param maxAbsReference the largest |float| over all samples and elements
 * @param samples number of samples compared
 */
public record Drift(
    double meanCosine, double minCosine, double maxAbsError, double maxAbsReference, int samples) {

  /**
   * Runs {@code samples} (one map of signature inputs per sample) through signature {@code key} of
   * both models and compares output {@code output}.
   */
  public static Drift measure(
      byte[] reference,
      byte[] candidate,
      String key,
      String output,
      List<Map<String, float[]>> samples,
      InterpreterConfig config) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("drift needs at least one held-out sample");
    }
    double cosineSum = 0;
    double minCosine = 1;
    double maxError = 0;
    double maxReference = 0;
    try (SignatureRunner a = SignatureRunner.open(direct(reference), key, config);
        SignatureRunner b = SignatureRunner.open(direct(candidate), key, config)) {
      for (Map<String, float[]> sample : samples) {
        float[] x = a.run(sample, 1).get(output);
        float[] y = b.run(sample, 1).get(output);
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
          dot += (double) x[i] * y[i];
          xx += (double) x[i] * x[i];
          yy += (double) y[i] * y[i];
          maxError = Math.max(maxError, Math.abs(x[i] - y[i]));
          maxReference = Math.max(maxReference, Math.abs(x[i]));
        }
        double cosine = xx == 0 && yy == 0 ? 1 : dot / Math.sqrt(xx * yy + 1e-30);
        cosineSum += cosine;
        minCosine = Math.min(minCosine, cosine);
      }
    }
    return new Drift(cosineSum / samples.size(), minCosine, maxError, maxReference, samples.size());
  }

  private static ByteBuffer direct(byte[] model) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    return buffer;
  }
}
