package dev.promptedge.tools.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.SelfTestExpectation;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.onnx.DemoCards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-test expectations per backbone file a bundle can run on: a bundle packed against a card that
 * records its ONNX forms carries one expectation per file, keyed by that file's own hash, and
 * installs on both engines in both precisions; a bundle packed before the export still installs on
 * float ONNX Runtime (through its flatbuffer's expectation) and is refused, naming the file, on
 * int8 ONNX Runtime, whose rounding differs from TFLite's.
 */
class EngineExpectationsTest {

  static final InterpreterConfig TFLITE = new InterpreterConfig(1, false, Optional.empty());

  @TempDir Path dir;

  @Test
  void aBundlePackedAgainstTheOnnxFormsInstallsOnBothEnginesAndPrecisions() throws Exception {
    CardFile card = exportedDemoCard();
    Set<String> files =
        Set.of(
            card.model(false).getSha256(),
            card.model(true).getSha256(),
            card.onnxModel(false).getSha256(),
            card.onnxModel(true).getSha256());
    Bundle committed = demoBundle();
    assertEquals(files, keys(committed), "the committed bundle, packed against the same export");
    Bundle repacked = BundlePacker.pack(card, BundleContents.of(committed.bundle()), TFLITE);
    assertEquals(files, keys(repacked));
    for (EngineKind engine : List.of(EngineKind.TFLITE, EngineKind.ONNXRUNTIME)) {
      for (boolean quantized : List.of(false, true)) {
        assertEquals("fashion-detect", install(card, engine, quantized, repacked.toBytes()));
      }
    }
  }

  @Test
  void aBundleWithoutTheOnnxInt8ExpectationIsRefusedThereNamingTheFile() throws Exception {
    Path plain = dir.resolve("plain");
    CardFile tfliteOnly = DemoCards.copy(plain);
    byte[] packed =
        BundlePacker.pack(tfliteOnly, BundleContents.of(demoBundle().bundle()), TFLITE).toBytes();
    assertEquals(
        2,
        BundleReader.parse(packed, Long.MAX_VALUE).bundle().getSelfTest().getExpectationsCount());
    CardFile card = exportedDemoCard();
    assertEquals("fashion-detect", install(card, EngineKind.ONNXRUNTIME, false, packed));
    BundleException e =
        assertThrows(
            BundleException.class, () -> install(card, EngineKind.ONNXRUNTIME, true, packed));
    assertEquals("self_test_failed", e.code());
    assertTrue(
        e.getMessage().contains("no self-test expectation")
            && e.getMessage().contains(card.onnxModel(true).getPath())
            && e.getMessage().contains("bundle repack"),
        e.getMessage());
  }

  private static Set<String> keys(Bundle bundle) {
    return bundle.bundle().getSelfTest().getExpectationsList().stream()
        .map(SelfTestExpectation::getBackboneFileSha256)
        .collect(Collectors.toSet());
  }

  private String install(CardFile card, EngineKind engine, boolean quantized, byte[] bundle) {
    InterpreterConfig config = TFLITE.withEngine(engine);
    Path store = dir.resolve("store-" + engine + "-" + quantized + "-" + System.nanoTime());
    try (Backbone backbone = Backbone.open(card, quantized, config);
        TaskEngine tasks =
            TaskEngine.open(
                backbone,
                BundleStore.open(store),
                new EngineSettings(
                    config,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      return tasks.install(bundle).name();
    }
  }

  private Bundle demoBundle() throws Exception {
    return BundleReader.parse(
        Files.readAllBytes(DemoCards.DEMO.resolve("fashion-detect.bundle")), Long.MAX_VALUE);
  }

  /** The demo card and its backbones copied into the test's folder, exported to ONNX. */
  private CardFile exportedDemoCard() throws Exception {
    return DemoCards.exported(dir.resolve("backbone"));
  }
}
