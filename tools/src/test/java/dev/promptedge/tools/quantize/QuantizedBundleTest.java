package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SelfTestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bundle packed against a card with a quantized model serves on the quantized backbone. */
class QuantizedBundleTest {

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bundleCarriesBothExpectationsAndInstallsOnTheQuantizedBackbone(boolean full)
      throws Exception {
    VitSpec spec = VitSpec.micro(false);
    CardFile card = QuantizeFixtures.backbone(dir, spec);
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    QuantizedModel quantized =
        full
            ? Quantizer.fullInteger(
                floatModel, QuantizeFixtures.calibration(card), QuantizeFixtures.CONFIG)
            : Quantizer.dynamicRange(floatModel);
    card = QuantizedBackboneFiles.write(card, quantized, "test");

    List<String> labels = List.of("circle", "square");
    byte[] head =
        HeadBuilder.build(
            TaskKind.DETECTION,
            HeadWeights.random(labels.size() + HeadBuilder.DETECTION_EXTRA, spec.embedDim(), 5),
            spec.gridHeight(),
            spec.gridWidth(),
            spec.embedDim());
    Bundle bundle =
        BundlePacker.pack(
            card,
            new BundleContents(
                "shapes",
                TaskKind.DETECTION,
                1,
                labels,
                Map.of(
                    "prompt",
                    new float[spec.promptLayers() * spec.promptTokens() * spec.embedDim()]),
                head,
                java.util.List.of("features"),
                BundleContents.defaultPostProcessing(TaskKind.DETECTION, labels.size()),
                SelfTestImages.syntheticPng(spec.inputWidth(), spec.inputHeight(), 5),
                Map.of(),
                QuantizeFixtures.PROVENANCE),
            QuantizeFixtures.CONFIG);
    var expectations = bundle.bundle().getSelfTest().getExpectationsList();
    assertEquals(2, expectations.size());
    assertEquals(
        card.card().getQuantizedModel().getSha256(), expectations.get(1).getBackboneFileSha256());

    try (Backbone backbone = Backbone.open(card, true, QuantizeFixtures.CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    QuantizeFixtures.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20))) {
      assertTrue(engine.install(bundle.toBytes()).active());
      InferenceResult result =
          engine.infer(TaskRequest.active(SelfTestImages.synthetic(40, 36, 11)));
      assertEquals("shapes", result.bundleName());
      assertEquals(
          spec.gridHeight() * spec.gridWidth() * (labels.size() + HeadBuilder.DETECTION_EXTRA),
          result.headOutput().length);
    }
  }
}
