package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SelfTestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A head that reads two feature outputs of a v2 backbone (the promptable CNN's features_s8 and
 * features_s16): the runtime feeds each by name, sizes per-cell outputs on the first listed, and
 * refuses a bundle whose head_features do not match the head's inputs.
 */
class MultiFeatureHeadTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());
  static final List<String> LABELS = List.of("background", "circle", "square");
  static final HeadWeights WEIGHTS = HeadWeights.random(LABELS.size(), CnnBuilder.DIM, 9);

  @TempDir static Path dir;
  static CardFile card;

  @BeforeAll
  static void build() throws Exception {
    card =
        CnnFiles.writePromptableCnn(
            dir, "cnn", 3, Provenance.newBuilder().setCommand("test").build());
  }

  /** Per cell of features_s8: W (s8 + mean of features_s16 over its cells) + b. */
  static byte[] twoFeatureHead() {
    TfliteModelBuilder model = new TfliteModelBuilder("two-feature head");
    GraphOps ops = new GraphOps(model);
    int fine = model.activation(CnnBuilder.FEATURES_S8, -1, 4, 4, CnnBuilder.DIM);
    int coarse = model.activation(CnnBuilder.FEATURES_S16, -1, 2, 2, CnnBuilder.DIM);
    int context = ops.mean("context", coarse, true, 1, 2);
    int joined = ops.add("joined", fine, context);
    int outputs = HeadBuilder.head(ops, "", TaskKind.SEGMENTATION, WEIGHTS, joined, 4, 4);
    return model
        .signatureKey(HeadBuilder.SIGNATURE)
        .input(CnnBuilder.FEATURES_S8, fine)
        .input(CnnBuilder.FEATURES_S16, coarse)
        .output(HeadBuilder.OUTPUTS, outputs)
        .build();
  }

  static Bundle pack(List<String> headFeatures) {
    return BundlePacker.pack(
        card,
        new BundleContents(
            "two-scales",
            TaskKind.SEGMENTATION,
            1,
            LABELS,
            Map.of(),
            twoFeatureHead(),
            headFeatures,
            BundleContents.defaultPostProcessing(TaskKind.SEGMENTATION, LABELS.size()),
            SelfTestImages.syntheticPng(32, 32, 1),
            Map.of(),
            Provenance.newBuilder().setCommand("test").build()),
        CONFIG);
  }

  @Test
  void theHeadGetsEachFeatureOutputByNameAndAnswersPerCellOfTheFirst() {
    Bundle bundle = pack(List.of(CnnBuilder.FEATURES_S8, CnnBuilder.FEATURES_S16));
    BufferedImage image = SelfTestImages.synthetic(32, 32, 6);
    try (Backbone backbone = Backbone.open(card, false, CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      engine.install(bundle.toBytes());
      float[] out = engine.infer(TaskRequest.active(image)).headOutput();
      Map<String, float[]> f =
          backbone.encode(Preprocessor.forCard(card.card()).prepare(image).pixels(), Map.of(), 1);
      float[] s8 = f.get(CnnBuilder.FEATURES_S8);
      float[] s16 = f.get(CnnBuilder.FEATURES_S16);
      int d = CnnBuilder.DIM;
      float[] expected = new float[16 * LABELS.size()];
      for (int cell = 0; cell < 16; cell++) {
        for (int o = 0; o < LABELS.size(); o++) {
          double sum = WEIGHTS.bias()[o];
          for (int c = 0; c < d; c++) {
            double context = 0;
            for (int k = 0; k < 4; k++) {
              context += s16[k * d + c] / 4;
            }
            sum += WEIGHTS.weight()[o * d + c] * (s8[cell * d + c] + context);
          }
          expected[cell * LABELS.size() + o] = (float) sum;
        }
      }
      assertArrayEquals(expected, out, 1e-4f);
    }
  }

  @Test
  void headFeaturesInAnotherOrderPutTheCoarseGridFirstAndAreRefused() {
    BundleException e =
        assertThrows(
            BundleException.class,
            () -> pack(List.of(CnnBuilder.FEATURES_S16, CnnBuilder.FEATURES_S8)));
    assertEquals("head_shape", e.code());
    assertTrue(e.getMessage().contains("features_s16 stride 16 [2, 2, 16]"), e.getMessage());
  }

  @Test
  void headFeaturesThatLeaveOutAHeadInputAreRefused() {
    BundleException e =
        assertThrows(BundleException.class, () -> pack(List.of(CnnBuilder.FEATURES_S8)));
    assertEquals("head_shape", e.code());
    assertTrue(e.getMessage().contains("must take [features_s8]"), e.getMessage());
  }
}
