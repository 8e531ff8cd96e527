package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.engine.SignatureRunner;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VitBuilderTest {

  static final float TOLERANCE = 1e-4f;

  @ParameterizedTest(name = "deep={0} batch={1} xnnpack={2}")
  @CsvSource({
    "false, 1, false",
    "false, 3, false",
    "true, 1, false",
    "true, 3, false",
    "false, 3, true",
    "true, 3, true"
  })
  void interpreterMatchesReference(boolean deep, int batch, boolean xnnpack) {
    VitSpec spec = VitSpec.micro(deep);
    VitWeights weights = VitWeights.random(spec, 7);
    float[] pixels = gaussian(batch * spec.inputHeight() * spec.inputWidth() * 3, 11);
    float[] prompt =
        gaussian(batch * spec.promptLayers() * spec.promptTokens() * spec.embedDim(), 13);

    float[] expected = ReferenceVit.encode(spec, weights, pixels, prompt, batch);
    float[] actual;
    try (TfliteRunner runner =
        new TfliteRunner(VitBuilder.build(spec, weights), VitBuilder.SIGNATURE, xnnpack)) {
      actual =
          runner.run(
              Map.of(VitBuilder.PIXELS, pixels, VitBuilder.PROMPT, prompt),
              VitBuilder.FEATURES,
              batch);
      assertArrayEquals(
          new int[] {batch, spec.gridHeight(), spec.gridWidth(), spec.embedDim()},
          runner.signature().output(VitBuilder.FEATURES).shape());
    }
    assertEquals(expected.length, actual.length);
    float max = maxAbsDiff(expected, actual);
    System.out.printf(
        "micro deep=%s batch=%d xnnpack=%s max abs error %.3g%n", deep, batch, xnnpack, max);
    assertTrue(max <= TOLERANCE, "max abs error " + max);
  }

  @ParameterizedTest(name = "deep={0}")
  @ValueSource(booleans = {false, true})
  void signatureIsEncodeWithDynamicBatch(boolean deep) {
    VitSpec spec = VitSpec.micro(deep);
    try (TfliteRunner runner =
        new TfliteRunner(
            VitBuilder.build(spec, VitWeights.random(spec, 1)), VitBuilder.SIGNATURE)) {
      SignatureRunner signature = runner.signature();
      assertEquals(Set.of("pixels", "prompt"), Set.copyOf(signature.inputNames()));
      assertEquals(List.of("features"), signature.outputNames());
      int l = deep ? 2 : 1;
      assertArrayEquals(new int[] {-1, 32, 32, 3}, signature.input("pixels").signature());
      assertArrayEquals(new int[] {1, 32, 32, 3}, signature.input("pixels").shape());
      assertArrayEquals(new int[] {-1, l, 4, 32}, signature.input("prompt").signature());
      assertArrayEquals(new int[] {-1, 4, 4, 32}, signature.output("features").signature());
    }
  }

  @Test
  void sameSeedGivesByteIdenticalModels() {
    VitSpec spec = VitSpec.micro(true);
    byte[] first = VitBuilder.build(spec, VitWeights.random(spec, 42));
    byte[] second = VitBuilder.build(spec, VitWeights.random(spec, 42));
    byte[] other = VitBuilder.build(spec, VitWeights.random(spec, 43));
    assertArrayEquals(first, second);
    assertFalse(Arrays.equals(first, other));
  }

  @ParameterizedTest(name = "deep={0}")
  @ValueSource(booleans = {false, true})
  void promptIsWiredIn(boolean deep) {
    VitSpec spec = VitSpec.micro(deep);
    float[] pixels = gaussian(spec.inputHeight() * spec.inputWidth() * 3, 3);
    float[] prompt = gaussian(promptSize(spec, 1), 4);
    float[] otherPrompt = gaussian(promptSize(spec, 1), 5);
    try (TfliteRunner runner =
        new TfliteRunner(
            VitBuilder.build(spec, VitWeights.random(spec, 2)), VitBuilder.SIGNATURE)) {
      float[] first = encode(runner, pixels, prompt, 1);
      float[] again = encode(runner, pixels, prompt, 1);
      float[] second = encode(runner, pixels, otherPrompt, 1);
      assertArrayEquals(first, again);
      assertTrue(maxAbsDiff(first, second) > 1e-2, "features ignore the prompt");
    }
  }

  @Test
  void promptLayerOneMattersOnlyInDeepMode() {
    VitSpec deep = VitSpec.micro(true);
    VitSpec shallow = VitSpec.micro(false);
    assertEquals(2, deep.promptLayers());
    assertEquals(1, shallow.promptLayers());
    VitWeights weights = VitWeights.random(deep, 2);
    float[] pixels = gaussian(deep.inputHeight() * deep.inputWidth() * 3, 3);
    float[] prompt = gaussian(promptSize(deep, 1), 4);
    float[] changedLayerOne = prompt.clone();
    int layerSize = deep.promptTokens() * deep.embedDim();
    // Not a uniform shift: layer norm would erase that, and prompt tokens reach the features only
    // through their normalized keys and values.
    float[] noise = gaussian(layerSize, 6);
    for (int i = 0; i < layerSize; i++) {
      changedLayerOne[layerSize + i] += noise[i];
    }
    float[] layerZero = Arrays.copyOf(prompt, layerSize);
    try (TfliteRunner deepRunner = new TfliteRunner(VitBuilder.build(deep, weights), "encode");
        TfliteRunner shallowRunner =
            new TfliteRunner(VitBuilder.build(shallow, weights), "encode")) {
      float[] deepFeatures = encode(deepRunner, pixels, prompt, 1);
      assertTrue(
          maxAbsDiff(deepFeatures, encode(deepRunner, pixels, changedLayerOne, 1)) > 1e-2,
          "deep model ignores prompt layer 1");
      // The shallow model has no layer 1: with the same weights and layer 0 it differs from deep,
      // because block 1 sees block 0's prompt outputs instead of fresh prompt tokens.
      float[] shallowFeatures = encode(shallowRunner, pixels, layerZero, 1);
      assertTrue(maxAbsDiff(deepFeatures, shallowFeatures) > 1e-2);
      assertArrayEquals(
          ReferenceVit.encode(shallow, weights, pixels, layerZero, 1), shallowFeatures, TOLERANCE);
    }
  }

  @Test
  void batchItemsAreIndependent() {
    VitSpec spec = VitSpec.micro(true);
    int batch = 3;
    float[] pixels = gaussian(batch * spec.inputHeight() * spec.inputWidth() * 3, 8);
    float[] prompt = gaussian(promptSize(spec, batch), 9);
    try (TfliteRunner runner =
        new TfliteRunner(
            VitBuilder.build(spec, VitWeights.random(spec, 2)), VitBuilder.SIGNATURE)) {
      float[] all = encode(runner, pixels, prompt, batch);
      int pixelItem = pixels.length / batch;
      int promptItem = prompt.length / batch;
      int featureItem = all.length / batch;
      float[] middle =
          encode(
              runner,
              Arrays.copyOfRange(pixels, pixelItem, 2 * pixelItem),
              Arrays.copyOfRange(prompt, promptItem, 2 * promptItem),
              1);
      assertArrayEquals(Arrays.copyOfRange(all, featureItem, 2 * featureItem), middle, 1e-6f);
    }
  }

  @Test
  void weightsThatDoNotFitAreRefused() {
    VitWeights small = VitWeights.random(VitSpec.micro(false), 1);
    VitSpec wider =
        new VitSpec(
            "wide",
            32,
            32,
            8,
            64,
            2,
            2,
            2,
            4,
            false,
            1e-6f,
            new float[] {0, 0, 0},
            new float[] {1, 1, 1});
    var error = assertThrows(IllegalArgumentException.class, () -> VitBuilder.build(wider, small));
    assertTrue(error.getMessage().contains("patchKernel"), error.getMessage());
  }

  /**
   * ViT-Tiny scale (224², patch 16, D 192, depth 12, deep prompts): about 3 s for the reference.
   */
  @Test
  @Tag("slow")
  void tinyScaleBackboneMatchesReference() {
    VitSpec spec =
        new VitSpec(
            "tiny-deep",
            224,
            224,
            16,
            192,
            12,
            3,
            4,
            10,
            true,
            1e-6f,
            VitSpec.IMAGENET_MEAN,
            VitSpec.IMAGENET_STD);
    VitWeights weights = VitWeights.random(spec, 1);
    int batch = 2;
    float[] pixels = gaussian(batch * 224 * 224 * 3, 1);
    float[] prompt = gaussian(promptSize(spec, batch), 2);
    float[] expected = ReferenceVit.encode(spec, weights, pixels, prompt, batch);
    try (TfliteRunner runner = new TfliteRunner(VitBuilder.build(spec, weights), "encode")) {
      float max = maxAbsDiff(expected, encode(runner, pixels, prompt, batch));
      System.out.printf("tiny deep batch=%d max abs error %.3g%n", batch, max);
      assertTrue(max <= TOLERANCE, "max abs error " + max);
    }
  }

  static float[] encode(TfliteRunner runner, float[] pixels, float[] prompt, int batch) {
    return runner.run(
        Map.of(VitBuilder.PIXELS, pixels, VitBuilder.PROMPT, prompt), VitBuilder.FEATURES, batch);
  }

  static int promptSize(VitSpec spec, int batch) {
    return batch * spec.promptLayers() * spec.promptTokens() * spec.embedDim();
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
