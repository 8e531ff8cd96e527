package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.graph.InterpreterParity;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SeededContents;
import dev.promptedge.tools.pack.SelfTestImages;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract v2 end to end on a hand-built CNN with a PIXEL and a CHANNEL_SCALE_SHIFT prompt input:
 * the host engine and the interpreter agree on the new ops, the runtime feeds identities and
 * per-sample prompts, and the generic trainer learns both prompt inputs from their identity into a
 * bundle the runtime reproduces.
 */
class PromptableCnnTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());
  static final Provenance PROVENANCE =
      Provenance.newBuilder().setCommand("test").setTool("tests").build();

  @TempDir static Path dir;
  static CardFile card;
  static Path data;

  @BeforeAll
  static void setUp() throws Exception {
    card = CnnFiles.writePromptableCnn(dir, "micro-cnn-v2", 3, PROVENANCE);
    data = TrainData.generate(dir.resolve("data"), 48, 16);
  }

  @Test
  void hostEngineAndInterpreterAgreeOnThePromptOps() throws Exception {
    byte[] model = Files.readAllBytes(card.modelPath(false));
    TfliteGraph graph = TfliteGraph.read(model, card.card().getSignature());
    InterpreterParity.Result r =
        InterpreterParity.compare(
            model, graph.signature(), InterpreterParity.randomInputs(graph, 2, 5), 2);
    assertTrue(r.ok(), "relative error " + r.relative());
  }

  @Test
  void absentPromptsAreTheIdentityAndEachPromptChangesTheFeatures() {
    try (Backbone backbone = Backbone.open(card, false, CONFIG)) {
      float[] pixels = pixels(backbone, 1);
      float[] absent = backbone.encode(pixels, Map.of(), 1).get(CnnBuilder.FEATURES_S8);
      Map<String, float[]> identities = backbone.completePrompts(Map.of());
      assertArrayEquals(absent, backbone.encode(pixels, identities, 1).get(CnnBuilder.FEATURES_S8));
      for (PromptSlot slot : backbone.promptInputs()) {
        float[] nudged = slot.identity();
        Arrays.fill(nudged, 0, slot.size() / 2, 0.5f);
        float[] out =
            backbone.encode(pixels, Map.of(slot.name(), nudged), 1).get(CnnBuilder.FEATURES_S8);
        assertFalse(Arrays.equals(absent, out), slot.name() + " changes nothing");
      }
    }
  }

  private static float[] pixels(Backbone backbone, int batch) {
    float[] pixels = new float[backbone.pixelSize() * batch];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) Math.sin(0.01 * i);
    }
    return pixels;
  }

  @Test
  void aMixedBatchGivesEachSampleItsOwnBundlesPrompts() {
    Bundle a = pack("cnn-a", 11);
    Bundle b = pack("cnn-b", 12);
    BufferedImage image = SelfTestImages.synthetic(40, 40, 4);
    try (Backbone backbone = Backbone.open(card, false, CONFIG);
        TaskEngine engine = engine(backbone, "mixed")) {
      engine.install(a.toBytes());
      engine.install(b.toBytes());
      float[] aAlone = engine.infer(TaskRequest.of(image, "cnn-a")).headOutput();
      float[] bAlone = engine.infer(TaskRequest.of(image, "cnn-b")).headOutput();
      assertFalse(Arrays.equals(aAlone, bAlone), "the two bundles' prompts differ");
      List<InferenceResult> mixed =
          engine.infer(
              List.of(
                  TaskRequest.of(image, "cnn-b"),
                  TaskRequest.of(image, "cnn-a"),
                  TaskRequest.of(image, "cnn-b")));
      assertArrayEquals(bAlone, mixed.get(0).headOutput(), 1e-5f);
      assertArrayEquals(aAlone, mixed.get(1).headOutput(), 1e-5f);
      assertArrayEquals(bAlone, mixed.get(2).headOutput(), 1e-5f);
    }
  }

  private static Bundle pack(String name, long seed) {
    List<String> labels = List.of("background", "circle", "square");
    BundleContents contents =
        SeededContents.of(
            card,
            name,
            TaskKind.SEGMENTATION,
            labels,
            1,
            seed,
            BundleContents.defaultPostProcessing(TaskKind.SEGMENTATION, labels.size()),
            PROVENANCE);
    return BundlePacker.pack(card, contents, CONFIG);
  }

  private static TaskEngine engine(Backbone backbone, String store) {
    return TaskEngine.open(
        backbone,
        BundleStore.open(dir.resolve(store)),
        new EngineSettings(
            CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, BundleReader.DEFAULT_MAX_BYTES));
  }

  private static TrainResult train(TrainMode mode, int epochs) throws Exception {
    Splits<? extends Sample> s =
        Datasets.segmentation(data.resolve("segmentation"), SplitRule.DEFAULT);
    TrainOptions o = TestTrainOptions.of(TaskKind.SEGMENTATION, mode, epochs).build();
    Validator v =
        MetricValidators.of(
            o.task(),
            s.train().labels(),
            BundleContents.defaultPostProcessing(o.task(), s.train().labels().size()),
            card.featureOutputs().get(0));
    return PromptTrainer.train(
        card,
        Files.readAllBytes(card.modelPath(false)),
        s,
        s.train().labels(),
        o,
        v,
        new PrintWriter(new StringWriter(), true));
  }

  @Test
  void promptModeTrainsEveryPromptInputFromItsIdentityIntoABundleTheRuntimeReproduces()
      throws Exception {
    TrainResult r = train(TrainMode.PROMPT, 3);
    assertTrue(
        r.history().get(2).trainLoss() < r.history().get(0).trainLoss(),
        "loss " + r.history().get(0).trainLoss() + " -> " + r.history().get(2).trainLoss());
    assertEquals(List.of("pixel_prompt", "scale_shift_0"), List.copyOf(r.prompts().keySet()));
    for (PromptSlot slot : card.promptInputs()) {
      float[] learned = r.prompts().get(slot.name());
      assertEquals(slot.size(), learned.length);
      assertFalse(Arrays.equals(slot.identity(), learned), slot.name() + " did not learn");
    }
    long head = (16L + 1) * r.head().outputs();
    assertEquals(32 * 32 * 3 + 2 * 8 + head, r.trainableParameters());
    assertEquals(List.of(CnnBuilder.FEATURES_S8), r.headFeatures());

    List<String> labels =
        Datasets.segmentation(data.resolve("segmentation"), SplitRule.DEFAULT).train().labels();
    Bundle bundle =
        BundlePacker.pack(
            card,
            new BundleContents(
                "cnn-trained",
                TaskKind.SEGMENTATION,
                1,
                labels,
                r.prompts(),
                r.headModel(),
                r.headFeatures(),
                BundleContents.defaultPostProcessing(TaskKind.SEGMENTATION, labels.size()),
                r.selfTestPng(),
                Map.of(),
                PROVENANCE),
            CONFIG);
    assertEquals(2, bundle.bundle().getFormatVersion());
    assertArrayEquals(
        r.prompts().get("scale_shift_0"),
        BundleInputs.prompts(bundle.bundle()).get("scale_shift_0"));
    float[] device =
        BundleInputs.values(bundle.bundle().getSelfTest().getExpectations(0).getOutput());
    assertArrayEquals(r.selfTestOutput(), device, 1e-3f, "host-trained graph vs runtime");
  }

  @Test
  void linearProbeLeavesEveryPromptOutAtItsIdentity() throws Exception {
    TrainResult r = train(TrainMode.LINEAR_PROBE, 1);
    assertEquals(Map.of(), r.prompts());
  }

  @Test
  void promptDeepIsRefusedNamingTheCardsInputs() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> train(TrainMode.PROMPT_DEEP, 1));
    assertTrue(e.getMessage().contains("has no TOKENS input"), e.getMessage());
    assertTrue(e.getMessage().contains("pixel_prompt PIXEL [32, 32, 3]"), e.getMessage());
  }

  private String refusedCard(UnaryOperator<BackboneCard.Builder> change) throws Exception {
    Path path = dir.resolve("changed" + CardFile.SUFFIX);
    Files.writeString(
        path, TextFormat.printer().printToString(change.apply(card.card().toBuilder()).build()));
    CardFile changed = CardFile.read(path);
    return assertThrows(BackboneException.class, () -> Backbone.open(changed, false, CONFIG))
        .getMessage();
  }

  @Test
  void aCardListingAPromptInputTheModelLacksIsRefused() throws Exception {
    String m =
        refusedCard(
            b ->
                b.addPromptInputs(
                    b.getPromptInputs(1).toBuilder().setName("scale_shift_1").build()));
    assertTrue(m.contains("has no input 'scale_shift_1'"), m);
  }

  @Test
  void aCardLeavingOutAPromptInputTheModelTakesIsRefused() throws Exception {
    String m = refusedCard(b -> b.removePromptInputs(0));
    assertTrue(m.contains("takes input 'pixel_prompt' that its card"), m);
  }

  @Test
  void aCardWithAnotherShapeThanTheModelIsRefused() throws Exception {
    String m =
        refusedCard(
            b -> b.setPromptInputs(1, b.getPromptInputs(1).toBuilder().setShape(1, 16).build()));
    assertTrue(m.contains("'scale_shift_0'") && m.contains("[B, 2, 16]"), m);
    String f =
        refusedCard(
            b ->
                b.setFeatureOutputs(
                    0, b.getFeatureOutputs(0).toBuilder().setName("features_s32").build()));
    assertTrue(f.contains("has no output 'features_s32'"), f);
  }
}
