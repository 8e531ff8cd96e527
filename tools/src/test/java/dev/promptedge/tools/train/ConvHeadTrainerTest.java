package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.graph.ConvBlockWeights;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadType;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.pack.BundleContents;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Training with the conv head on the micro ViT card: every weight, bias and kernel of the head
 * graph learns (Adam state for each), the loss falls, and the trained head is the flatbuffer the
 * head writer makes with the trained blocks.
 */
class ConvHeadTrainerTest {

  @TempDir static Path dir;
  static Path data;
  static MicroSetup setup;

  @BeforeAll
  static void setUp() throws Exception {
    data = TrainData.generate(dir.resolve("data"), 48, 16);
    setup = new MicroSetup(Files.createDirectories(dir.resolve("micro")), false);
  }

  static TrainResult train(TrainOptions o, StringWriter log) throws Exception {
    Splits<? extends Sample> s =
        switch (o.task()) {
          case DETECTION -> Datasets.detection(data.resolve("detection"), SplitRule.DEFAULT);
          case SEGMENTATION ->
              Datasets.segmentation(data.resolve("segmentation"), SplitRule.DEFAULT);
          default -> Datasets.classification(data.resolve("classification"), SplitRule.DEFAULT);
        };
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

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "DETECTION, LINEAR_PROBE, CONV",
    "SEGMENTATION, PROMPT, CONV",
    "CLASSIFICATION, LINEAR_PROBE, CONV2"
  })
  void lossFallsAndTheBlocksLearn(TaskKind task, TrainMode mode, HeadType head) throws Exception {
    StringWriter log = new StringWriter();
    TrainOptions o = TestTrainOptions.of(task, mode, 4).head(head).build();
    TrainResult r = train(o, log);
    double first = r.history().get(0).trainLoss();
    double last = r.history().get(3).trainLoss();
    assertTrue(last < 0.85 * first, task + " loss " + first + " -> " + last + "\n" + log);

    TfliteGraph trained = TfliteGraph.read(r.headModel(), HeadBuilder.SIGNATURE);
    long depthwise =
        trained.operatorNames().stream().filter(n -> n.equals("DEPTHWISE_CONV_2D")).count();
    assertEquals(head.blocks(), depthwise);
    int d = setup.card.featureOutputs().get(0).channels();
    long blockValues = head.blocks() * (9L * d + d + (long) d * d + d);
    long linear = (long) r.head().outputs() * (d + 1);
    long prompt =
        mode == TrainMode.LINEAR_PROBE ? 0 : r.trainableParameters() - blockValues - linear;
    assertEquals(blockValues + linear + prompt, r.trainableParameters());
    assertTrue(prompt >= 0);
    for (int i = 0; i < head.blocks(); i++) {
      ConvBlockWeights initial = ConvBlockWeights.random(d, o.seed() * 131 + i);
      float[] now = trained.constant("block" + i + "/pointwise/kernel");
      assertTrue(
          maxDiff(initial.pointwise(), now) > 1e-4, "block " + i + " pointwise did not learn");
      float[] dw = trained.constant("block" + i + "/depthwise/kernel");
      assertTrue(
          maxDiff(initial.depthwise(), dw) > 1e-4, "block " + i + " depthwise did not learn");
    }
    assertEquals(
        List.of(r.head().weight().length, r.head().bias().length),
        List.of(r.head().outputs() * d, r.head().outputs()));
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
