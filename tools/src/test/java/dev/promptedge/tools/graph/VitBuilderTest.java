package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VitBuilderTest {

  static final float TOLERANCE = 1e-4f;

  @ParameterizedTest(name = "deep={0} batch={1}")
  @CsvSource({"false, 1", "false, 3", "true, 1", "true, 3"})
  void interpreterMatchesReference(boolean deep, int batch) {
    VitSpec spec = VitSpec.micro(deep);
    VitWeights weights = VitWeights.random(spec, 7);
    float[] pixels = gaussian(batch * spec.inputHeight() * spec.inputWidth() * 3, 11);
    float[] prompt =
        gaussian(batch * spec.promptLayers() * spec.promptTokens() * spec.embedDim(), 13);

    float[] expected = ReferenceVit.encode(spec, weights, pixels, prompt, batch);
    float[] actual;
    try (TfliteRunner runner =
        new TfliteRunner(VitBuilder.build(spec, weights), VitBuilder.SIGNATURE)) {
      actual =
          runner.run(
              Map.of(VitBuilder.PIXELS, pixels, VitBuilder.PROMPT, prompt),
              VitBuilder.FEATURES,
              batch);
      assertArrayEquals(
          new int[] {batch, spec.gridHeight(), spec.gridWidth(), spec.embedDim()},
          runner
              .interpreter()
              .getOutputTensorFromSignature(VitBuilder.FEATURES, VitBuilder.SIGNATURE)
              .shape());
    }
    assertEquals(expected.length, actual.length);
    float max = maxAbsDiff(expected, actual);
    System.out.printf("micro deep=%s batch=%d max abs error %.3g%n", deep, batch, max);
    assertTrue(max <= TOLERANCE, "max abs error " + max);
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  static float[] gaussian(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
