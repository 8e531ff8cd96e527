package dev.promptedge.tools.golden;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
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
 * The committed golden cards and bundles keep loading: the version 1 pair from before contract v2
 * and the version 2 pair the builder writes today. Each card reads (the v1 card as its v2 view),
 * the builder still writes the model they name (same SHA-256), and each bundle parses, passes its
 * self-test in a task engine on either card and infers the same outputs. A failure here means a
 * format or builder change broke files already in the field.
 */
class GoldenFilesTest {

  @TempDir static Path dir;

  /** The golden card, copied beside a model rebuilt from the same spec and seed. */
  static CardFile golden;

  static CardFile fresh;

  /** The golden version 2 card, beside the same model. */
  static CardFile goldenV2;

  static byte[] bundleBytes;

  static byte[] bundleV2Bytes;

  @BeforeAll
  static void rebuildTheModelBesideTheGoldenCard() throws IOException {
    fresh = GoldenFiles.backbone(dir);
    Path card = dir.resolve("golden-" + GoldenFiles.CARD);
    Files.write(card, resource(GoldenFiles.CARD));
    golden = CardFile.read(card);
    Path cardV2 = dir.resolve("golden-" + GoldenFiles.CARD_V2);
    Files.write(cardV2, resource(GoldenFiles.CARD_V2));
    goldenV2 = CardFile.read(cardV2);
    bundleBytes = resource(GoldenFiles.BUNDLE);
    bundleV2Bytes = resource(GoldenFiles.BUNDLE_V2);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("golden file " + name + " is missing; " + GoldenFiles.REGENERATE);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void theGoldenCardReads() {
    BackboneCard c = golden.card();
    assertEquals(1, c.getFormatVersion());
    assertEquals("micro-shallow", c.getName());
    assertEquals(32, c.getInputHeight());
    assertEquals(8, c.getPatchSize());
    assertEquals(32, c.getEmbedDim());
    assertEquals(4, c.getPromptTokens());
    assertEquals(1, c.getPromptLayers());
    assertEquals(GoldenFiles.MODEL, c.getFloatModel().getPath());
    assertEquals(GoldenFiles.SEED, c.getProvenance().getSeed());
  }

  @Test
  void theBuilderStillWritesTheModelTheGoldenCardNames() {
    assertEquals(
        golden.card().getFloatModel().getSha256(),
        fresh.card().getFloatModel().getSha256(),
        "VitBuilder no longer writes the same bytes for VitSpec.micro(false) and"
            + " VitWeights.random(spec, 7). If the change is intended, "
            + GoldenFiles.REGENERATE);
    assertEquals(
        goldenV2.card().toBuilder().clearProvenance().build(),
        fresh.card().toBuilder().clearProvenance().build(),
        "the card written for the same spec changed; " + GoldenFiles.REGENERATE);
    for (CardFile card : new CardFile[] {golden, goldenV2}) {
      try (Backbone backbone = Backbone.open(card, false, GoldenFiles.CONFIG)) {
        assertEquals(4 * 4 * 32, backbone.featureOutputs().get(0).size());
      }
    }
  }

  @Test
  void theV1CardReadsAsTheV2CardOfTheSameModel() {
    assertEquals(2, goldenV2.card().getFormatVersion());
    assertEquals(
        List.of(new PromptSlot("prompt", PromptKind.TOKENS, List.of(1, 4, 32), "")),
        golden.promptInputs());
    assertEquals(List.of(new FeatureMap("features", 8, 32, 4, 4)), golden.featureOutputs());
    assertEquals(goldenV2.promptInputs(), golden.promptInputs());
    assertEquals(goldenV2.featureOutputs(), golden.featureOutputs());
    assertEquals(
        golden.card().getFloatModel().getSha256(), goldenV2.card().getFloatModel().getSha256());
  }

  @Test
  void theV1BundleReadsAsV2WithOneTokenPromptAndTheFeaturesHead() {
    PromptBundle v1 = BundleReader.parse(bundleBytes, BundleReader.DEFAULT_MAX_BYTES).bundle();
    PromptBundle v2 = BundleReader.parse(bundleV2Bytes, BundleReader.DEFAULT_MAX_BYTES).bundle();
    assertEquals(1, v1.getFormatVersion());
    assertEquals(2, v2.getFormatVersion());
    assertEquals(List.of("features"), BundleInputs.headFeatures(v1));
    assertEquals(List.of("features"), BundleInputs.headFeatures(v2));
    assertEquals(List.of("prompt"), List.copyOf(BundleInputs.prompts(v1).keySet()));
    assertArrayEquals(
        BundleInputs.prompts(v2).get("prompt"), BundleInputs.prompts(v1).get("prompt"));
    assertEquals(v1.getHead(), v2.getHead());
    assertEquals(
        v1.getSelfTest().getExpectations(0).getOutput(),
        v2.getSelfTest().getExpectations(0).getOutput());
  }

  @Test
  void eachGoldenBundleGivesTheSameOutputsOnEitherCard() {
    float[] reference = null;
    for (CardFile card : new CardFile[] {golden, goldenV2}) {
      for (byte[] bytes : new byte[][] {bundleBytes, bundleV2Bytes}) {
        float[] out = install(card, bytes).headOutput();
        if (reference == null) {
          reference = out;
        }
        assertArrayEquals(reference, out, 0f, "card v" + card.card().getFormatVersion());
      }
    }
  }

  private static InferenceResult install(CardFile card, byte[] bytes) {
    try (Backbone backbone = Backbone.open(card, false, GoldenFiles.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store-" + System.nanoTime())),
                new EngineSettings(
                    GoldenFiles.CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      engine.install(bytes);
      return engine.infer(TaskRequest.active(SelfTestImages.synthetic(64, 48, 2)));
    }
  }

  @Test
  void theGoldenBundleParsesAgainstTheCard() {
    Bundle bundle = new BundleReader(fresh, BundleReader.DEFAULT_MAX_BYTES).read(bundleBytes);
    assertEquals("golden-detect", bundle.name());
    assertEquals(1, bundle.version());
    assertEquals(TaskKind.DETECTION, bundle.bundle().getTask());
    assertEquals(GoldenFiles.LABELS, bundle.bundle().getLabelsList());
    assertEquals(
        golden.card().getFloatModel().getSha256(),
        bundle.bundle().getSelfTest().getExpectations(0).getBackboneFileSha256());
  }

  @Test
  void theGoldenBundleInstallsAndInfers() {
    try (Backbone backbone = Backbone.open(golden, false, GoldenFiles.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    GoldenFiles.CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      // install runs the bundle's self-test on this backbone and refuses it when it fails.
      engine.install(bundleBytes);
      assertEquals("golden-detect", engine.active().orElseThrow());
      InferenceResult result =
          engine.infer(TaskRequest.active(SelfTestImages.synthetic(64, 48, 2)));
      assertEquals("golden-detect", result.bundleName());
      assertEquals(1, result.bundleVersion());
      assertEquals(4 * 4 * (2 + 5), result.headOutput().length);
      assertInstanceOf(TaskOutput.Detections.class, result.output());
    }
  }

  @Test
  void theGoldenFilesStaySmall() {
    assertTrue(bundleBytes.length < 16 * 1024, "golden bundle is " + bundleBytes.length + " bytes");
    assertTrue(bundleV2Bytes.length < 16 * 1024, "v2 bundle is " + bundleV2Bytes.length + " bytes");
  }
}
