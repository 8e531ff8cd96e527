package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Precision;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SeededContents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quantizer on a contract v2 backbone: the micro CNN with a PIXEL and a CHANNEL_SCALE_SHIFT
 * input, calibrated with prompts around each kind's identity, keeps its features close to float,
 * and a bundle packed for it installs on the quantized file through the runtime (self-test on
 * int8).
 */
class PromptableCnnQuantizationTest {

  @TempDir Path dir;

  private void quantizesAndRuns(String what, QuantizedModel quantized, CardFile card)
      throws Exception {
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    List<Map<String, float[]>> heldOut = QuantizeFixtures.heldOut(card);
    assertTrue(
        heldOut.get(0).containsKey(CnnBuilder.PIXEL_PROMPT), heldOut.get(0).keySet()::toString);
    assertTrue(heldOut.get(0).containsKey(CnnBuilder.SCALE_SHIFT));
    Drift drift =
        Drift.measure(
            floatModel,
            quantized.bytes(),
            card.card().getSignature(),
            CnnBuilder.FEATURES_S8,
            heldOut,
            QuantizeFixtures.CONFIG);
    assertTrue(drift.minCosine() >= 0.999, what + " " + drift);
    CardFile updated = QuantizedBackboneFiles.write(card, quantized, "test " + what);
    List<String> labels = List.of("background", "circle", "square");
    Bundle bundle =
        BundlePacker.pack(
            updated,
            SeededContents.of(
                updated,
                "cnn-" + what,
                TaskKind.SEGMENTATION,
                labels,
                1,
                3,
                BundleContents.defaultPostProcessing(TaskKind.SEGMENTATION, labels.size()),
                QuantizeFixtures.PROVENANCE),
            QuantizeFixtures.CONFIG);
    assertEquals(2, bundle.bundle().getSelfTest().getExpectationsCount());
    try (Backbone backbone = Backbone.open(updated, true, QuantizeFixtures.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store-" + what)),
                new EngineSettings(
                    QuantizeFixtures.CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      assertEquals(quantized.precision(), backbone.modelFile().getPrecision());
      engine.install(bundle.toBytes());
      assertEquals("cnn-" + what, engine.active().orElseThrow());
    }
  }

  @Test
  void fullIntegerKeepsThePromptOpsInt8AndTheFeaturesClose() throws Exception {
    CardFile card = CnnFiles.writePromptableCnn(dir, "cnn-full", 11, QuantizeFixtures.PROVENANCE);
    QuantizedModel full =
        Quantizer.fullInteger(
            QuantizedBackboneFiles.floatModel(card),
            QuantizeFixtures.calibration(card),
            QuantizeFixtures.CONFIG);
    assertEquals(Precision.INT8_FULL, full.precision());
    assertEquals(List.of(), full.floatOps());
    for (String kind : List.of("STRIDED_SLICE", "MUL", "ADD")) {
      assertTrue(
          full.int8Ops().stream().anyMatch(op -> op.startsWith(kind + " ")), kind + " runs int8");
    }
    quantizesAndRuns("full", full, card);
  }

  @Test
  void dynamicRangeRunsThroughTheRuntime() throws Exception {
    CardFile card =
        CnnFiles.writePromptableCnn(dir, "cnn-dynamic", 11, QuantizeFixtures.PROVENANCE);
    quantizesAndRuns(
        "dynamic", Quantizer.dynamicRange(QuantizedBackboneFiles.floatModel(card)), card);
  }
}
