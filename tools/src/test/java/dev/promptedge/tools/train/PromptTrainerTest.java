package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.pack.BundleContents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTrainerTest {

  @TempDir static Path dir;
  static Path data;
  static MicroSetup shallow;
  static MicroSetup deep;

  @BeforeAll
  static void setUp() throws Exception {
    data = TrainData.generate(dir.resolve("data"), 48, 16);
    shallow = new MicroSetup(Files.createDirectories(dir.resolve("shallow")), false);
    deep = new MicroSetup(Files.createDirectories(dir.resolve("deep")), true);
  }

  static Splits<? extends Sample> splits(TaskKind task) {
    return switch (task) {
      case DETECTION -> Datasets.detection(data.resolve("detection"), SplitRule.DEFAULT);
      case SEGMENTATION -> Datasets.segmentation(data.resolve("segmentation"), SplitRule.DEFAULT);
      default -> Datasets.classification(data.resolve("classification"), SplitRule.DEFAULT);
    };
  }

  static TrainOptions options(TaskKind task, TrainMode mode, int epochs) {
    return TestTrainOptions.of(task, mode, epochs).build();
  }

  static TrainResult train(MicroSetup setup, TrainOptions o, StringWriter log) throws Exception {
    Splits<? extends Sample> s = splits(o.task());
    CardFile card = setup.card;
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
        new PrintWriter(log, true));
  }

  private static void assertLossFalls(TaskKind task) throws Exception {
    assertLossFalls(task, TrainMode.PROMPT);
  }

  private static void assertLossFalls(TaskKind task, TrainMode mode) throws Exception {
    StringWriter log = new StringWriter();
    TrainResult r = train(shallow, options(task, mode, 4), log);
    System.out.print(log);
    double first = r.history().get(0).trainLoss();
    double last = r.history().get(3).trainLoss();
    assertTrue(last < 0.85 * first, task + " loss " + first + " -> " + last + "\n" + log);
    assertTrue(log.toString().contains("val " + r.metric()), log.toString());
  }

  @Test
  void detectionLossFalls() throws Exception {
    assertLossFalls(TaskKind.DETECTION);
  }

  @Test
  void segmentationLossFalls() throws Exception {
    assertLossFalls(TaskKind.SEGMENTATION);
  }

  @Test
  void linearProbeLossFallsOnCachedFeatures() throws Exception {
    assertLossFalls(TaskKind.SEGMENTATION, TrainMode.LINEAR_PROBE);
  }

  @Test
  void classificationLossFalls() throws Exception {
    assertLossFalls(TaskKind.CLASSIFICATION);
  }

  @Test
  void backboneBytesAreUnchangedExceptInFullMode() throws Exception {
    for (TrainMode mode : TrainMode.values()) {
      MicroSetup setup = mode == TrainMode.PROMPT_DEEP ? deep : shallow;
      byte[] before = Files.readAllBytes(setup.card.modelPath(false));
      TrainResult r = train(setup, options(TaskKind.SEGMENTATION, mode, 1), new StringWriter());
      assertArrayEquals(before, Files.readAllBytes(setup.card.modelPath(false)), mode.cliName());
      assertEquals(mode == TrainMode.FULL, r.backboneModel().isPresent(), mode.cliName());
      if (mode == TrainMode.FULL) {
        assertFalse(java.util.Arrays.equals(before, r.backboneModel().get()));
      }
      if (mode == TrainMode.LINEAR_PROBE) {
        assertEquals(java.util.Set.of(), r.prompts().keySet(), "untrained prompts are left out");
      }
    }
  }

  @Test
  void resumeContinuesWhereTheCheckpointStopped() throws Exception {
    TestTrainOptions three = TestTrainOptions.of(TaskKind.DETECTION, TrainMode.PROMPT, 3);
    TrainResult straight = train(shallow, three.build(), new StringWriter());
    Path ckpt = dir.resolve("ckpt");
    train(shallow, three.epochs(2).checkpoint(ckpt, false).build(), new StringWriter());
    StringWriter log = new StringWriter();
    TrainResult resumed = train(shallow, three.checkpoint(ckpt, true).build(), log);
    assertTrue(log.toString().startsWith("resuming after epoch 2"), log.toString());
    assertEquals(3, resumed.history().size());
    assertArrayEquals(straight.prompts().get("prompt"), resumed.prompts().get("prompt"), 1e-5f);
    assertArrayEquals(straight.head().weight(), resumed.head().weight(), 1e-5f);
    assertEquals(straight.history().get(2).trainLoss(), resumed.history().get(2).trainLoss(), 1e-5);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                train(
                    shallow,
                    TestTrainOptions.of(TaskKind.SEGMENTATION, TrainMode.PROMPT, 3)
                        .checkpoint(ckpt, true)
                        .build(),
                    new StringWriter()));
    assertTrue(e.getMessage().contains("checkpoint is from another run"), e.getMessage());
  }

  @Test
  void cosineScheduleDecaysTheRateToZeroAndBindsTheCheckpointToItsLength() throws Exception {
    TestTrainOptions cosineRun =
        TestTrainOptions.of(TaskKind.DETECTION, TrainMode.PROMPT, 2).cosineDecay();
    TrainOptions constant = options(TaskKind.DETECTION, TrainMode.PROMPT, 2);
    TrainOptions cosine = cosineRun.build();
    assertEquals(1f, constant.rateFactor(7, 10));
    assertEquals(1f, cosine.rateFactor(0, 10), 1e-6f);
    assertEquals(0.5f, cosine.rateFactor(5, 10), 1e-6f);
    assertEquals(0f, cosine.rateFactor(10, 10), 1e-6f);

    TrainResult flat = train(shallow, constant, new StringWriter());
    TrainResult decayed = train(shallow, cosine, new StringWriter());
    assertFalse(
        java.util.Arrays.equals(flat.prompts().get("prompt"), decayed.prompts().get("prompt")),
        "smaller steps after the first give other prompts");
    assertTrue(decayed.history().get(1).trainLoss() < decayed.history().get(0).trainLoss());

    Path ckpt = dir.resolve("ckpt-cosine");
    train(shallow, cosineRun.epochs(1).checkpoint(ckpt, false).build(), new StringWriter());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> train(shallow, cosineRun.checkpoint(ckpt, true).build(), new StringWriter()));
    assertTrue(e.getMessage().contains("lr=cosine over 1 epochs"), e.getMessage());
  }

  @Test
  void promptDeepOnAShallowCardIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                train(
                    shallow,
                    options(TaskKind.DETECTION, TrainMode.PROMPT_DEEP, 1),
                    new StringWriter()));
    assertTrue(e.getMessage().contains("backbone build --deep"), e.getMessage());
  }
}
