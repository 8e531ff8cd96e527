package dev.promptedge.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.data.SegmentationSample;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.scenes.SceneDatasets;
import dev.promptedge.tools.data.scenes.SceneOptions;
import dev.promptedge.tools.e2e.MicroSetup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java API a trainer calls each epoch: an in-memory bundle from {@code BundlePacker.pack} on a
 * float backbone, and the metric code fed the ground truth as predictions.
 */
class BundleEvaluatorTest {

  @TempDir static Path dir;
  static MicroSetup setup;
  static Path scenes;

  @BeforeAll
  static void setUp() throws Exception {
    setup = new MicroSetup(dir.resolve("bb"), false);
    scenes = dir.resolve("scenes");
    FashionMnist glyphs = dev.promptedge.tools.cli.EvalGlyphs.glyphs();
    SceneDatasets.generate(
        scenes,
        8,
        SceneOptions.DEFAULT,
        List.of(
            new SceneDatasets.SplitPlan(Split.TRAIN, 1, glyphs, "synthetic"),
            new SceneDatasets.SplitPlan(Split.VAL, 5, glyphs, "synthetic")),
        (split, done, count) -> {});
  }

  @Test
  void inMemoryBundleOnAFloatBackboneInBatchesWithALimit() {
    Bundle bundle = setup.pack("items", TaskKind.DETECTION, FashionMnist.LABELS, 1, 3).bundle();
    SampleSet<DetectionSample> val =
        Datasets.detection(scenes.resolve("detection"), SplitRule.DEFAULT).val();
    List<Integer> seen = new ArrayList<>();
    List<Integer> progress = new ArrayList<>();
    EvalListener listener =
        new EvalListener() {
          @Override
          public void onImage(ImageResult image) {
            seen.add(image.index());
            assertEquals("items", image.result().bundleName());
            assertTrue(image.result().output() instanceof TaskOutput.Detections);
          }

          @Override
          public void onProgress(int done, int total) {
            progress.add(done);
            assertEquals(4, total);
          }
        };
    try (BundleEvaluator evaluator = BundleEvaluator.open(setup.card, false, MicroSetup.CONFIG)) {
      Evaluation e =
          evaluator.evaluate(
              bundle, val, new EvalOptions(3, 4, EvalOptions.COCO_SCORE_THRESHOLD, 100), listener);
      assertEquals(4, e.images());
      assertEquals(List.of(0, 1, 2, 3), seen);
      assertEquals(List.of(3, 4), progress);
      assertEquals(setup.card.card().getFloatModel().getSha256(), e.backboneFileSha256());
      DetectionMetrics all = (DetectionMetrics) e.metrics();
      DetectionMetrics deployed = e.deployed().orElseThrow();
      assertTrue(all.detections() >= deployed.detections());
      assertTrue(all.primary() >= 0 && all.primary() <= 1, all.toString());
      assertEquals("map", all.primaryName());
      // The same evaluator runs a second bundle version (a trainer's next epoch).
      Bundle next = setup.pack("items", TaskKind.DETECTION, FashionMnist.LABELS, 2, 4).bundle();
      assertEquals(
          2,
          evaluator.evaluate(next, val, EvalOptions.defaults(), EvalListener.NONE).bundleVersion());
    }
  }

  @Test
  void aBundleOfAnotherTaskIsRefused() {
    Bundle seg = setup.pack("seg", TaskKind.SEGMENTATION, FashionMnist.LABELS, 1, 3).bundle();
    SampleSet<DetectionSample> val =
        Datasets.detection(scenes.resolve("detection"), SplitRule.DEFAULT).val();
    try (BundleEvaluator evaluator = BundleEvaluator.open(setup.card, false, MicroSetup.CONFIG)) {
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () -> evaluator.evaluate(seg, val, EvalOptions.defaults(), EvalListener.NONE));
      assertTrue(
          e.getMessage().contains("a segmentation bundle is evaluated on segmentation data"),
          e.getMessage());
    }
  }

  @Test
  void groundTruthAsPredictionsScoresOne() {
    SampleSet<DetectionSample> det =
        Datasets.detection(scenes.resolve("detection"), SplitRule.DEFAULT).val();
    CocoDetectionEval coco = new CocoDetectionEval(det.labels());
    int objects = 0;
    for (int i = 0; i < det.size(); i++) {
      DetectionSample s = det.get(i);
      List<GtBox> gt = new ArrayList<>();
      List<ScoredBox> dt = new ArrayList<>();
      for (Instance inst : s.instances()) {
        gt.add(new GtBox(inst.classIndex(), inst.box(), inst.crowd()));
        dt.add(new ScoredBox(inst.classIndex(), 1f, inst.box()));
        objects++;
      }
      coco.add(s.imageId(), gt, dt);
    }
    assertTrue(objects >= 5, "objects: " + objects);
    assertEquals(1.0, coco.result().map50(), 1e-12);
    assertEquals(1.0, coco.result().map(), 1e-12);

    SampleSet<SegmentationSample> seg =
        Datasets.segmentation(scenes.resolve("segmentation"), SplitRule.DEFAULT).val();
    ConfusionMatrix matrix = new ConfusionMatrix(seg.labels());
    for (int i = 0; i < seg.size(); i++) {
      ClassMask mask = seg.get(i).mask();
      byte[] classes = mask.classes();
      for (byte c : classes) {
        matrix.add(c & 0xFF, c & 0xFF);
      }
    }
    assertEquals(1.0, matrix.result().miou(), 1e-12);
    assertEquals(1.0, matrix.result().pixelAccuracy(), 1e-12);
  }
}
