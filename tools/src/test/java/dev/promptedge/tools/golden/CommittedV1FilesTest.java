package dev.promptedge.tools.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.PromptKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every committed version 1 card and bundle (the golden pair, the demo backbone in {@code
 * models/demo}, and the demo bundles as first packed in version 1, kept in {@code golden/demo-v1}
 * since the committed ones were repacked) reads as its contract v2 view, and each v1 demo bundle
 * still passes its recorded self-test on the float and the int8 demo backbone: the same results as
 * when it was packed.
 */
class CommittedV1FilesTest {

  static final Path DEMO = Path.of("..", "models", "demo");

  @TempDir Path dir;

  private static List<Path> files(String suffix) throws IOException {
    try (Stream<Path> s = Files.list(DEMO)) {
      return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void eachCommittedV1CardReadsAsOneTokenInputAndOneFeatureOutput() throws IOException {
    Path golden = dir.resolve(GoldenFiles.CARD);
    try (var in = getClass().getResourceAsStream("/golden/" + GoldenFiles.CARD)) {
      Files.write(golden, in.readAllBytes());
    }
    List<Path> cards = new java.util.ArrayList<>(files(CardFile.SUFFIX));
    cards.add(golden);
    assertTrue(cards.size() >= 3, "the demo cards and the golden card: " + cards);
    for (Path path : cards) {
      CardFile card = CardFile.read(path);
      BackboneCard c = card.card();
      assertEquals(1, c.getFormatVersion(), path.toString());
      assertEquals(
          List.of(
              new PromptSlot(
                  "prompt",
                  PromptKind.TOKENS,
                  List.of(c.getPromptLayers(), c.getPromptTokens(), c.getEmbedDim()),
                  "")),
          card.promptInputs(),
          path.toString());
      int patch = c.getPatchSize();
      assertEquals(
          List.of(
              new FeatureMap(
                  "features",
                  patch,
                  c.getEmbedDim(),
                  c.getInputHeight() / patch,
                  c.getInputWidth() / patch)),
          card.featureOutputs(),
          path.toString());
    }
  }

  @Test
  void eachDemoBundleReadsAsV2AndPassesItsSelfTestOnBothDemoBackbones() throws IOException {
    CardFile card = CardFile.read(DEMO.resolve("demo-vit.card.textproto"));
    List<Path> bundles = new java.util.ArrayList<>();
    for (String name : List.of("fashion-detect.bundle", "fashion-segment.bundle")) {
      Path copy = dir.resolve(name);
      try (var in = getClass().getResourceAsStream("/golden/demo-v1/" + name)) {
        Files.write(copy, in.readAllBytes());
      }
      bundles.add(copy);
    }
    assertFalse(bundles.isEmpty());
    for (Path path : bundles) {
      byte[] bytes = Files.readAllBytes(path);
      PromptBundle b = new BundleReader(card, BundleReader.DEFAULT_MAX_BYTES).read(bytes).bundle();
      assertEquals(1, b.getFormatVersion(), path.toString());
      assertEquals(List.of("prompt"), List.copyOf(BundleInputs.prompts(b).keySet()));
      assertEquals(card.promptInputs().get(0).size(), BundleInputs.prompts(b).get("prompt").length);
      assertEquals(List.of("features"), BundleInputs.headFeatures(b));
      for (boolean quantized : new boolean[] {false, true}) {
        try (Backbone backbone = Backbone.open(card, quantized, GoldenFiles.CONFIG);
            TaskEngine engine =
                TaskEngine.open(
                    backbone,
                    BundleStore.open(dir.resolve(path.getFileName() + "-" + quantized)),
                    new EngineSettings(
                        GoldenFiles.CONFIG,
                        EngineSettings.DEFAULT_RESIDENT_BUDGET,
                        BundleReader.DEFAULT_MAX_BYTES))) {
          // install runs the recorded self-test for this backbone file and refuses a mismatch.
          assertEquals(b.getName(), engine.install(bytes).name(), path + " int8 " + quantized);
        }
      }
    }
  }
}
