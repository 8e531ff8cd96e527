package dev.promptedge.tools.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.PromptKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed golden card and bundle of the promptable micro CNN (contract v2 with PIXEL and
 * CHANNEL_SCALE_SHIFT inputs) keep loading: the builder writes the model the card names, the bundle
 * carries a tensor for each prompt input by name, and it passes its self-test and infers.
 */
class CnnGoldenFilesTest {

  @TempDir static Path dir;

  static CardFile golden;
  static CardFile fresh;
  static byte[] bundleBytes;

  @BeforeAll
  static void rebuildTheModelBesideTheGoldenCard() throws IOException {
    fresh = GoldenFiles.cnnBackbone(dir);
    Path card = dir.resolve("golden-" + GoldenFiles.CNN_CARD);
    try (InputStream in =
        CnnGoldenFilesTest.class.getResourceAsStream("/golden/" + GoldenFiles.CNN_CARD)) {
      Files.write(card, in.readAllBytes());
    }
    golden = CardFile.read(card);
    try (InputStream in =
        CnnGoldenFilesTest.class.getResourceAsStream("/golden/" + GoldenFiles.CNN_BUNDLE)) {
      bundleBytes = in.readAllBytes();
    }
  }

  @Test
  void theCardDescribesThePromptInputsAndTheModelIsUnchanged() {
    assertEquals(2, golden.card().getFormatVersion());
    assertEquals(
        List.of(
            new PromptSlot(
                CnnBuilder.PIXEL_PROMPT, PromptKind.PIXEL, List.of(32, 32, 3), CnnBuilder.PIXELS),
            new PromptSlot(
                CnnBuilder.SCALE_SHIFT,
                PromptKind.CHANNEL_SCALE_SHIFT,
                List.of(2, 8),
                CnnBuilder.SCALE_SHIFT_AFTER)),
        golden.promptInputs());
    assertEquals(
        golden.card().toBuilder().clearProvenance().build(),
        fresh.card().toBuilder().clearProvenance().build(),
        "CnnBuilder.buildPromptable(7) no longer writes the same model or card; "
            + GoldenFiles.REGENERATE);
  }

  @Test
  void theBundleCarriesOneTensorPerPromptInputAndInfers() {
    PromptBundle b =
        new BundleReader(golden, BundleReader.DEFAULT_MAX_BYTES).read(bundleBytes).bundle();
    assertEquals(2, b.getFormatVersion());
    assertEquals(List.of(CnnBuilder.FEATURES_S8), BundleInputs.headFeatures(b));
    float[] scaleShift = BundleInputs.prompts(b).get(CnnBuilder.SCALE_SHIFT);
    assertEquals(1f + 0.05f, scaleShift[0], 1e-6f);
    assertEquals(0f + (float) Math.cos(0.5 * 8) * 0.05f, scaleShift[8], 1e-6f);
    try (Backbone backbone = Backbone.open(golden, false, GoldenFiles.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    GoldenFiles.CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      engine.install(bundleBytes);
      InferenceResult result =
          engine.infer(TaskRequest.active(SelfTestImages.synthetic(48, 40, 3)));
      assertEquals(4 * 4 * 3, result.headOutput().length);
      assertInstanceOf(TaskOutput.Segmentation.class, result.output());
      float[] expected = BundleInputs.values(b.getSelfTest().getExpectations(0).getOutput());
      assertEquals(4 * 4 * 3, expected.length);
      assertArrayEquals(
          expected,
          engine
              .infer(
                  TaskRequest.active(
                      new dev.promptedge.runtime.image.ImageDecoder(1 << 20)
                          .decode(b.getSelfTest().getInputPng().toByteArray())))
              .headOutput(),
          1e-5f);
    }
  }
}
