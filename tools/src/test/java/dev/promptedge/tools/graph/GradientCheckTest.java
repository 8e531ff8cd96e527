package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * d(loss)/d(prompt) through the whole micro ViT: autograd vs central finite differences in float64
 * (relative error ≤ 1e-2 over sampled coordinates), and the float32 gradient used for training vs
 * the float64 one (relative error ≤ 1e-3: float32 keeps ~7 digits, and the micro ViT's ~60 ops lose
 * at most a few of them).
 */
class GradientCheckTest {

  private static final int BATCH = 2;
  private static final int SAMPLES = 24;
  private static final double STEP = 1e-6;

  @ParameterizedTest(name = "deep={0}")
  @ValueSource(booleans = {false, true})
  void promptGradientMatchesFiniteDifferences(boolean deep) {
    VitSpec spec = VitSpec.micro(deep);
    byte[] model = VitBuilder.build(spec, VitWeights.random(spec, 7));
    TfliteGraph graph = TfliteGraph.read(model, VitBuilder.SIGNATURE);
    Map<String, float[]> inputs = Parity.randomInputs(model, VitBuilder.SIGNATURE, BATCH, 3);
    float[] weights = Parity.gaussian(new Random(9), BATCH * 4 * 4 * 32, 1);

    double[] exact;
    float[] single;
    try (GraphExecutor exec =
        GraphExecutor.builder(graph)
            .optPrecision(DataType.FLOAT64)
            .optGradientInputs(VitBuilder.PROMPT)
            .build()) {
      exact = gradient(exec, inputs, weights);
      double[] prompt = toDouble(inputs.get(VitBuilder.PROMPT));
      Random random = new Random(1);
      double diff = 0;
      double norm = 0;
      for (int s = 0; s < SAMPLES; s++) {
        int i = random.nextInt(prompt.length);
        double saved = prompt[i];
        prompt[i] = saved + STEP;
        double up = loss(exec, inputs.get(VitBuilder.PIXELS), prompt, weights);
        prompt[i] = saved - STEP;
        double down = loss(exec, inputs.get(VitBuilder.PIXELS), prompt, weights);
        prompt[i] = saved;
        double numeric = (up - down) / (2 * STEP);
        diff += (numeric - exact[i]) * (numeric - exact[i]);
        norm += numeric * numeric;
      }
      double relative = Math.sqrt(diff / norm);
      System.out.printf(
          "gradient %s float64: finite differences vs autograd, %d coordinates, relative error"
              + " %.3g (|g| %.3g)%n",
          spec.name(), SAMPLES, relative, Math.sqrt(norm / SAMPLES));
      assertTrue(relative <= 1e-2, "relative error " + relative);
    }
    try (GraphExecutor exec =
        GraphExecutor.builder(graph).optGradientInputs(VitBuilder.PROMPT).build()) {
      single = toFloat(gradient(exec, inputs, weights));
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < exact.length; i++) {
      diff += (single[i] - exact[i]) * (single[i] - exact[i]);
      norm += exact[i] * exact[i];
    }
    double relative = Math.sqrt(diff / norm);
    System.out.printf(
        "gradient %s float32 vs float64: relative error %.3g%n", spec.name(), relative);
    assertTrue(relative <= 1e-3, "float32 relative error " + relative);
  }

  /** d(sum(features · weights))/d(prompt), by autograd. */
  private static double[] gradient(GraphExecutor exec, Map<String, float[]> in, float[] weights) {
    try (NDManager scope = exec.manager().newSubManager()) {
      NDArray pixels = scope.create(in.get("pixels"), exec.batchShape("pixels", BATCH));
      NDArray prompt =
          scope
              .create(in.get("prompt"), exec.batchShape("prompt", BATCH))
              .toType(exec.precision(), false);
      NDArray w = scope.create(weights, exec.batchShape("features", BATCH));
      try (GradientCollector collector = exec.newGradientCollector()) {
        NDArray features =
            exec.forward(scope, Map.of("pixels", pixels, "prompt", prompt)).get("features");
        collector.backward(features.mul(w.toType(features.getDataType(), false)).sum());
      }
      return prompt.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }

  private static double loss(GraphExecutor exec, float[] pixels, double[] prompt, float[] w) {
    try (NDManager scope = exec.manager().newSubManager()) {
      Map<String, NDArray> out =
          exec.forward(
              scope,
              Map.of(
                  "pixels", scope.create(pixels, exec.batchShape("pixels", BATCH)),
                  "prompt", scope.create(prompt, exec.batchShape("prompt", BATCH))));
      double[] features = out.get("features").toDoubleArray();
      double sum = 0;
      for (int i = 0; i < features.length; i++) {
        sum += features[i] * w[i];
      }
      return sum;
    }
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }
}
