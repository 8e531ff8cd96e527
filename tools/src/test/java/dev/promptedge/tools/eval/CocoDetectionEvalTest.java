package dev.promptedge.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.image.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * COCO mAP on cases small enough to work out by hand from pycocotools' definition: AP of a class at
 * one IoU threshold is the mean over the 101 recall points r = 0, 0.01, ..., 1 of the monotone
 * precision at the first rank whose recall reaches r (0 when recall never reaches r).
 */
class CocoDetectionEvalTest {

  static final double EPS = 1e-12;
  static final List<String> ONE = List.of("a");
  static final Box A = new Box(0, 0, 10, 10);

  static ScoredBox det(int c, float score, Box box) {
    return new ScoredBox(c, score, box);
  }

  static DetectionMetrics single(List<GtBox> gt, List<ScoredBox> dt) {
    CocoDetectionEval eval = new CocoDetectionEval(ONE);
    eval.add(1, gt, dt);
    return eval.result();
  }

  @Test
  void exactDetectionOfEveryObjectIsOne() {
    // One object, one exact box: TP at every threshold, precision 1 at every recall point.
    DetectionMetrics m = single(List.of(GtBox.of(0, A)), List.of(det(0, 0.9f, A)));
    assertEquals(1.0, m.map50(), EPS);
    assertEquals(1.0, m.map(), EPS);
    assertEquals(1, m.perClass().get(0).groundTruth());
  }

  @Test
  void noDetectionsGiveZero() {
    // Recall never leaves 0 ... there are no ranks at all, so every point reads 0.
    DetectionMetrics m = single(List.of(GtBox.of(0, A)), List.of());
    assertEquals(0.0, m.map50(), EPS);
    assertEquals(0.0, m.map(), EPS);
    assertEquals(0, m.detections());
  }

  @Test
  void noGroundTruthAnywhereIsNotANumberNotZero() {
    // pycocotools leaves a category without ground truth at -1 and out of the mean; with no such
    // category at all there is nothing to average.
    DetectionMetrics m = single(List.of(), List.of(det(0, 0.9f, A)));
    assertTrue(Double.isNaN(m.map50()) && Double.isNaN(m.map()), m.toString());
    assertTrue(Double.isNaN(m.perClass().get(0).ap50()));
  }

  @Test
  void aClassWithoutGroundTruthIsLeftOutOfTheMeanAndItsBoxesDoNotHurtOthers() {
    CocoDetectionEval eval = new CocoDetectionEval(List.of("a", "b"));
    // class a: perfect (AP 1); class b: only a false positive, no objects -> excluded.
    eval.add(1, List.of(GtBox.of(0, A)), List.of(det(0, 0.5f, A), det(1, 0.99f, A)));
    DetectionMetrics m = eval.result();
    assertEquals(1.0, m.map50(), EPS);
    assertTrue(Double.isNaN(m.perClass().get(1).ap50()));
    assertEquals(2, m.detections());
  }

  @Test
  void meanOverClassesWithGroundTruth() {
    CocoDetectionEval eval = new CocoDetectionEval(List.of("a", "b"));
    // a found exactly (AP 1), b missed (AP 0): mean 0.5.
    eval.add(
        1, List.of(GtBox.of(0, A), GtBox.of(1, new Box(20, 20, 30, 30))), List.of(det(0, 1f, A)));
    DetectionMetrics m = eval.result();
    assertEquals(0.5, m.map50(), EPS);
    assertEquals(0.5, m.map(), EPS);
    assertEquals(1.0, m.perClass().get(0).ap(), EPS);
    assertEquals(0.0, m.perClass().get(1).ap(), EPS);
  }

  @Test
  void aDuplicateAfterFullRecallCostsNothing() {
    // ranks: TP (r 1, p 1), FP (r 1, p 0.5) -> monotone p = [1, 0.5]; every point reads rank 0.
    DetectionMetrics m = single(List.of(GtBox.of(0, A)), List.of(det(0, 0.9f, A), det(0, 0.8f, A)));
    assertEquals(1.0, m.map50(), EPS);
  }

  @Test
  void aDuplicateBeforeTheSecondObjectLowersPrecisionAtHighRecall() {
    Box b = new Box(20, 0, 30, 10);
    // ranks: TP on A (r .5, p 1), duplicate FP on A (r .5, p .5), TP on B (r 1, p 2/3).
    // Monotone p = [1, 2/3, 2/3]. Points r = 0 .. 0.50 (51) read rank 0 -> 1;
    // r = 0.51 .. 1 (50) read rank 2 -> 2/3. AP = (51 + 50 * 2/3) / 101 = 0.834983...
    DetectionMetrics m =
        single(
            List.of(GtBox.of(0, A), GtBox.of(0, b)),
            List.of(det(0, 0.9f, A), det(0, 0.8f, A), det(0, 0.7f, b)));
    double expected = (51 + 50 * (2.0 / 3)) / 101;
    assertEquals(expected, m.map50(), 1e-9);
    assertEquals(expected, m.map(), 1e-9); // exact boxes: same at every threshold
  }

  @Test
  void aFalsePositiveRankedFirstHalvesPrecision() {
    // ranks: FP (r 0, p 0), TP (r 1, p 0.5) -> monotone p = [0.5, 0.5]. r = 0 reads rank 0 (0.5),
    // every other point rank 1 (0.5). AP = 0.5.
    DetectionMetrics m =
        single(
            List.of(GtBox.of(0, A)),
            List.of(det(0, 0.9f, new Box(50, 50, 60, 60)), det(0, 0.8f, A)));
    assertEquals(0.5, m.map50(), EPS);
  }

  @Test
  void equalScoresKeepTheirOrderWithinAnImage() {
    Box miss = new Box(50, 50, 60, 60);
    // A stable sort keeps input order: FP then TP -> 0.5 (as above); TP then FP -> 1.
    assertEquals(
        0.5,
        single(List.of(GtBox.of(0, A)), List.of(det(0, 0.8f, miss), det(0, 0.8f, A))).map50(),
        EPS);
    assertEquals(
        1.0,
        single(List.of(GtBox.of(0, A)), List.of(det(0, 0.8f, A), det(0, 0.8f, miss))).map50(),
        EPS);
  }

  @Test
  void equalScoresAcrossImagesRankByImageIdWhateverTheOrderAdded() {
    // Image 1: an FP at 0.8 (no objects). Image 2: the object, found at 0.8.
    // pycocotools concatenates images in id order before its stable sort: FP first -> AP 0.5.
    for (boolean reversed : new boolean[] {false, true}) {
      CocoDetectionEval eval = new CocoDetectionEval(ONE);
      Runnable one = () -> eval.add(1, List.of(), List.of(det(0, 0.8f, A)));
      Runnable two = () -> eval.add(2, List.of(GtBox.of(0, A)), List.of(det(0, 0.8f, A)));
      if (reversed) {
        two.run();
        one.run();
      } else {
        one.run();
        two.run();
      }
      assertEquals(0.5, eval.result().map50(), EPS, "reversed " + reversed);
      assertEquals(2, eval.result().images());
    }
  }

  @Test
  void aLooseBoxCountsAtTheThresholdsItReaches() {
    // IoU = 72 / 100 (float 7.2 makes it 0.71999998): a match at 0.50, 0.55, 0.60, 0.65, 0.70,
    // not at 0.75 .. 0.95. AP50 = 1, AP[.5:.95] = 5/10.
    DetectionMetrics m =
        single(List.of(GtBox.of(0, A)), List.of(det(0, 0.9f, new Box(0, 0, 10, 7.2f))));
    assertEquals(1.0, m.map50(), EPS);
    assertEquals(0.5, m.map(), EPS);
  }

  @Test
  void greedyMatchingTakesTheHighestIouNotTheFirstObject() {
    Box b = new Box(2, 0, 12, 10); // IoU(A, B) = 80 / 120 = 0.667
    // The 0.9 box is exactly B: matched to B (IoU 1), not to A (listed first, IoU 0.667); the 0.8
    // box, exactly A, then takes A. Both true positives at every threshold: AP 1. Taking the first
    // object would leave the second box with B at IoU 0.667 and fail from 0.70 up.
    DetectionMetrics m =
        single(List.of(GtBox.of(0, A), GtBox.of(0, b)), List.of(det(0, 0.9f, b), det(0, 0.8f, A)));
    assertEquals(1.0, m.map(), EPS);
  }

  @Test
  void aCrowdAbsorbsManyBoxesWithoutCountingAndIsNeverMissed() {
    Box crowd = new Box(0, 0, 20, 20);
    Box object = new Box(30, 30, 40, 40);
    List<GtBox> gt = List.of(new GtBox(0, crowd, true), GtBox.of(0, object));
    // Crowd IoU = intersection / detection area = 100 / 100 = 1 for both boxes inside it: both
    // match the crowd (not consumed) and are ignored. Ranks: ignored, ignored, TP -> tp 0,0,1;
    // recall 0,0,1; precision 0,0,1 -> monotone 1,1,1 -> AP 1. One regular object, so recall
    // reaches 1 (the crowd is not a miss).
    List<ScoredBox> dt =
        List.of(
            det(0, 0.9f, new Box(0, 0, 10, 10)),
            det(0, 0.85f, new Box(10, 10, 20, 20)),
            det(0, 0.8f, object));
    DetectionMetrics m = single(gt, dt);
    assertEquals(1.0, m.map(), EPS);
    assertEquals(1, m.perClass().get(0).groundTruth());
    // The same boxes against a regular object there: IoU 100 / 400 = 0.25, two FPs ranked first.
    // ranks FP, FP, TP, recall 0,0,0.5, precision 0,0,1/3, one of two objects missed:
    // points r = 0 .. 0.50 (51) read 1/3, the rest 0. AP = 51 / 3 / 101.
    DetectionMetrics regular = single(List.of(GtBox.of(0, crowd), GtBox.of(0, object)), dt);
    assertEquals(51.0 / 3 / 101, regular.map50(), 1e-9);
  }

  @Test
  void onlyACrowdMeansNoGroundTruth() {
    DetectionMetrics m = single(List.of(new GtBox(0, A, true)), List.of(det(0, 0.9f, A)));
    assertTrue(Double.isNaN(m.map50()));
  }

  @Test
  void aRegularObjectIsPreferredToACrowdItOverlaps() {
    // A regular object A inside a crowd region: the box on A matches A (regular objects come
    // first and the search stops at the crowd once a regular match exists) -> TP, AP 1.
    List<GtBox> gt = List.of(new GtBox(0, new Box(0, 0, 40, 40), true), GtBox.of(0, A));
    assertEquals(1.0, single(gt, List.of(det(0, 0.9f, A))).map(), EPS);
  }

  @Test
  void onlyTheHundredBestBoxesPerImageAndClassCount() {
    List<ScoredBox> dt = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      dt.add(det(0, 0.9f, new Box(50, 50, 60, 60))); // 100 FPs above the TP
    }
    dt.add(det(0, 0.1f, A));
    DetectionMetrics m = single(List.of(GtBox.of(0, A)), dt);
    assertEquals(0.0, m.map50(), EPS);
    assertEquals(100, m.detections());
  }

  @Test
  void anImageTwiceOrAnUnknownClassIsRefused() {
    CocoDetectionEval eval = new CocoDetectionEval(ONE);
    eval.add(7, List.of(), List.of());
    var twice =
        assertThrows(IllegalArgumentException.class, () -> eval.add(7, List.of(), List.of()));
    assertEquals("image 7 was added twice", twice.getMessage());
    var unknown =
        assertThrows(
            IllegalArgumentException.class, () -> eval.add(8, List.of(GtBox.of(3, A)), List.of()));
    assertTrue(unknown.getMessage().contains("class id 3 is not one of the 1 labels"));
  }

  @Test
  void thresholdsAreNumpyLinspace() {
    assertEquals(10, CocoParams.IOU_THRESHOLDS.length);
    assertEquals(0.5, CocoParams.IOU_THRESHOLDS[0]);
    assertEquals(0.95, CocoParams.IOU_THRESHOLDS[9]);
    assertEquals(101, CocoParams.RECALL_THRESHOLDS.length);
    assertEquals(0.5, CocoParams.RECALL_THRESHOLDS[50]);
    assertEquals(1.0, CocoParams.RECALL_THRESHOLDS[100]);
  }
}
