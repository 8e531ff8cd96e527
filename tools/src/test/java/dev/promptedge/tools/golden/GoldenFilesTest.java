package dev.promptedge.tools.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed golden card and bundle keep loading: the card reads, the builder still writes the
 * model the card names (same SHA-256), and the bundle parses, passes its self-test in a task engine
 * and infers. A failure here means a format or builder change broke files already in the field.
 */
class GoldenFilesTest {

  @TempDir static Path dir;

  /** The golden card, copied beside a model rebuilt from the same spec and seed. */
  static CardFile golden;

  static CardFile fresh;

  static byte[] bundleBytes;

  @BeforeAll
  static void rebuildTheModelBesideTheGoldenCard() throws IOException {
    fresh = GoldenFiles.backbone(dir);
    Path card = dir.resolve("golden-" + GoldenFiles.CARD);
    Files.write(card, resource(GoldenFiles.CARD));
    golden = CardFile.read(card);
    bundleBytes = resource(GoldenFiles.BUNDLE);
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
    assertEquals(CardFile.FORMAT_VERSION, c.getFormatVersion());
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
        golden.card().toBuilder().clearProvenance().build(),
        fresh.card().toBuilder().clearProvenance().build(),
        "the card written for the same spec changed; " + GoldenFiles.REGENERATE);
    try (Backbone backbone = Backbone.open(golden, false, GoldenFiles.CONFIG)) {
      assertEquals(4 * 4 * 32, backbone.featureSize());
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
  }
}
