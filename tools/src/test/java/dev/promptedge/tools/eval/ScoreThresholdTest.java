package dev.promptedge.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promptedge.runtime.image.Box;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployed score threshold on cases worked out by hand. */
class ScoreThresholdTest {

  private static final Box A = new Box(0, 0, 10, 10);
  private static final Box B = new Box(20, 20, 30, 30);
  private static final Box FAR = new Box(40, 40, 50, 50);

  private static ScoredBox det(int classId, double score, Box box) {
    return new ScoredBox(classId, (float) score, box);
  }

  @Test
  void picksTheBestF1CountingDuplicatesAndWrongClassesAsWrong() {
    // Ranked: 0.9 right, 0.8 duplicate, 0.6 right, 0.5 wrong class, 0.4 right, 0.3 nothing there.
    // F1 = 2*right/(kept + 3 truths): 0.5, 0.4, 0.667, 0.571, 0.75, 0.667 -> keep >= 0.4.
    List<ScoreThreshold.Image> images =
        List.of(
            new ScoreThreshold.Image(
                List.of(GtBox.of(0, A), GtBox.of(1, B)),
                List.of(det(0, 0.9, A), det(0, 0.8, A), det(1, 0.6, B), det(1, 0.3, FAR))),
            new ScoreThreshold.Image(
                List.of(GtBox.of(0, A)), List.of(det(1, 0.5, A), det(0, 0.4, A))));
    ScoreThreshold.Choice c = ScoreThreshold.best(images, 0.5, 0.3f);
    assertEquals(0.4f, c.threshold());
    assertEquals(0.75, c.f1(), 1e-9);
    assertEquals(0.6, c.precision(), 1e-9);
    assertEquals(1.0, c.recall(), 1e-9);
  }

  @Test
  void aTieGoesToTheHigherThreshold() {
    // Two truths. 0.9 right: 2/(1+2) = 2/3; 0.8 and 0.7 wrong: 1/2, 2/5; 0.6 right: 4/(4+2) = 2/3.
    List<ScoreThreshold.Image> images =
        List.of(
            new ScoreThreshold.Image(
                List.of(GtBox.of(0, A), GtBox.of(1, B)),
                List.of(det(0, 0.9, A), det(0, 0.8, B), det(1, 0.7, FAR), det(1, 0.6, B))));
    ScoreThreshold.Choice c = ScoreThreshold.best(images, 0.5, 0.3f);
    assertEquals(0.9f, c.threshold());
    assertEquals(2.0 / 3, c.f1(), 1e-9);
  }

  @Test
  void detectionsOfEqualScoreAreKeptOrDroppedTogether() {
    // One truth; a right and a wrong detection both at 0.7: F1 2/(2+1), never the right one alone.
    List<ScoreThreshold.Image> images =
        List.of(
            new ScoreThreshold.Image(
                List.of(GtBox.of(0, A)), List.of(det(0, 0.7, A), det(0, 0.7, FAR))));
    ScoreThreshold.Choice c = ScoreThreshold.best(images, 0.5, 0.3f);
    assertEquals(0.7f, c.threshold());
    assertEquals(2.0 / 3, c.f1(), 1e-9);
    assertEquals(0.5, c.precision(), 1e-9);
  }

  @Test
  void aDetectionOnACrowdBoxCountsNeitherWay() {
    // The crowd box covers the 0.8 detection (plain IoU 100/900, COCO's crowd IoU 100/100):
    // without the crowd rule that detection would be wrong and the best F1 would be at 0.9.
    Box crowd = new Box(15, 15, 45, 45);
    List<ScoreThreshold.Image> images =
        List.of(
            new ScoreThreshold.Image(
                List.of(GtBox.of(0, A), new GtBox(0, crowd, true), GtBox.of(0, FAR)),
                List.of(det(0, 0.9, A), det(0, 0.8, B), det(0, 0.7, FAR))));
    ScoreThreshold.Choice c = ScoreThreshold.best(images, 0.5, 0.3f);
    assertEquals(0.7f, c.threshold());
    assertEquals(1.0, c.f1(), 1e-9);
  }

  @Test
  void nothingDetectedOrNothingTrueKeepsTheFallback() {
    ScoreThreshold.Choice none =
        ScoreThreshold.best(
            List.of(new ScoreThreshold.Image(List.of(GtBox.of(0, A)), List.of())), 0.5, 0.3f);
    assertEquals(new ScoreThreshold.Choice(0.3f, 0, 0, 0), none);
    ScoreThreshold.Choice empty =
        ScoreThreshold.best(
            List.of(new ScoreThreshold.Image(List.of(), List.of(det(0, 0.9, A)))), 0.5, 0.25f);
    assertEquals(0.25f, empty.threshold());
  }

  @Test
  void foundCountsEachTrueObjectOnceWhateverTheDuplicates() {
    // Two overlapping true objects of one class (IoU 0.81) and three boxes on the first.
    Box nearA = new Box(1, 1, 10, 10);
    ScoreThreshold.Image image =
        new ScoreThreshold.Image(
            List.of(GtBox.of(0, A), GtBox.of(0, nearA)),
            List.of(det(0, 0.9, A), det(0, 0.8, A), det(0, 0.7, A), det(1, 0.6, nearA)));
    // At IoU 0.5 the boxes match both truths, one box each; at 0.9 only A, and only once.
    assertEquals(2, ScoreThreshold.found(image, 0.5));
    assertEquals(1, ScoreThreshold.found(image, 0.9));
  }
}
