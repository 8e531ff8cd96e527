package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.importer.TfjsFixture;
import dev.promptedge.tools.importer.ThirdPartyTflite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported cards run in the runtime: the verifier admits every op the importer emits, and a batch
 * of two samples with different prompts gives what each sample gives alone.
 */
class ImportedBackboneRuntimeTest {

  @TempDir Path dir;

  @Test
  void tfjsImportEncodesAMixedBatchLikeSingleRunsAndVerifies() throws Exception {
    Path json = TfjsFixture.write(dir.resolve("tfjs"));
    CardFile card =
        importCard(
            json,
            "fixture",
            "--input-size",
            "32x32",
            "--features",
            "leaky,pool",
            "--prompt",
            "pixel",
            "--prompt",
            "channel",
            "--prompt-blocks",
            "leaky,pool");
    assertEquals(3, card.promptInputs().size());
    mixedBatchEqualsSingleRuns(card);
    verify(card);
  }

  @Test
  void zooTfliteImportEncodesAMixedBatchLikeSingleRunsAndVerifies() throws Exception {
    Path zoo = dir.resolve("zoo.tflite");
    Files.write(zoo, ThirdPartyTflite.build());
    CardFile card =
        importCard(
            zoo,
            "zoo",
            "--features",
            "block2,block3",
            "--prompt",
            "pixel",
            "--prompt",
            "channel",
            "--prompt-blocks",
            "block1,block3");
    assertEquals(
        List.of("features_s4", "features_s8"),
        card.featureOutputs().stream().map(FeatureMap::name).toList());
    mixedBatchEqualsSingleRuns(card);
    verify(card);
  }

  private CardFile importCard(Path model, String name, String... args) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "backbone",
                "import",
                "--model",
                model.toString(),
                "--out",
                dir.resolve("out").toString(),
                "--name",
                name,
                "--normalization",
                "0,1"));
    all.addAll(List.of(args));
    Cli.run(all.toArray(String[]::new)).expect(0);
    return CardFile.read(dir.resolve("out").resolve(name + CardFile.SUFFIX));
  }

  private static void mixedBatchEqualsSingleRuns(CardFile card) {
    Random r = new Random(3);
    try (Backbone b = Backbone.open(card, false, InterpreterConfig.defaults())) {
      assertTrue(b.dynamicBatch(), "imported graphs free the batch");
      float[] pixels = gaussian(r, 2 * b.pixelSize());
      Map<String, float[]> prompts = new LinkedHashMap<>();
      for (PromptSlot p : b.promptInputs()) {
        prompts.put(p.name(), gaussian(r, 2 * p.size()));
      }
      Map<String, float[]> both = b.encode(pixels, prompts, 2);
      for (int s = 0; s < 2; s++) {
        Map<String, float[]> one = new LinkedHashMap<>();
        for (var e : prompts.entrySet()) {
          one.put(e.getKey(), half(e.getValue(), s));
        }
        Map<String, float[]> alone = b.encode(half(pixels, s), one, 1);
        Map<String, float[]> identity = b.encode(half(pixels, s), Map.of(), 1);
        for (FeatureMap f : b.featureOutputs()) {
          float[] got = half(both.get(f.name()), s);
          assertArrayEquals(alone.get(f.name()), got, 1e-4f, f.name() + " sample " + s);
          assertTrue(
              maxDiff(identity.get(f.name()), got) > 1e-3,
              f.name() + " sample " + s + " must depend on its prompts");
        }
      }
    }
  }

  private static void verify(CardFile card) {
    Cli v =
        Cli.run(
                "backbone",
                "verify",
                "--model",
                card.modelPath(false).toString(),
                "--signature",
                card.card().getSignature())
            .expect(0);
    for (PromptSlot p : card.promptInputs()) {
      assertTrue(v.out().contains(p.name()), v.out());
    }
  }

  private static float[] half(float[] v, int sample) {
    int n = v.length / 2;
    return Arrays.copyOfRange(v, sample * n, sample * n + n);
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
