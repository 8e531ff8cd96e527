package dev.promptedge.runtime.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promptedge.runtime.head.Nms.Candidate;
import dev.promptedge.runtime.image.Box;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {

  private static Candidate c(int index, int classId, float score, float x0, float x1) {
    return new Candidate(index, classId, score, new Box(x0, 0, x1, 10));
  }

  private static List<Integer> indices(List<Candidate> kept) {
    return kept.stream().map(Candidate::index).toList();
  }

  @Test
  void emptyInputGivesEmptyOutput() {
    assertEquals(List.of(), Nms.select(List.of(), 0.5f, 10));
  }

  @Test
  void overlappingBoxOfTheSameClassIsSuppressed() {
    // [0,10] and [1,11] (height 10): intersection 90, union 110, IoU 0.82 > 0.5.
    List<Candidate> kept =
        Nms.select(List.of(c(1, 0, 0.8f, 1, 11), c(0, 0, 0.9f, 0, 10)), 0.5f, 10);
    assertEquals(List.of(0), indices(kept));
  }

  @Test
  void overlappingBoxesOfDifferentClassesAreBothKept() {
    List<Candidate> kept =
        Nms.select(List.of(c(1, 1, 0.8f, 1, 11), c(0, 0, 0.9f, 0, 10)), 0.5f, 10);
    assertEquals(List.of(0, 1), indices(kept));
  }

  @Test
  void iouExactlyAtTheThresholdIsNotSuppressed() {
    // [0,3] and [1,4] (height 10): intersection 20, union 40, IoU exactly 0.5.
    List<Candidate> pair = List.of(c(0, 0, 0.9f, 0, 3), c(1, 0, 0.8f, 1, 4));
    assertEquals(0.5f, pair.get(0).box().iou(pair.get(1).box()));
    assertEquals(List.of(0, 1), indices(Nms.select(pair, 0.5f, 10)));
    assertEquals(List.of(0), indices(Nms.select(pair, 0.49f, 10)));
  }

  @Test
  void equalScoresAreOrderedByLowerIndex() {
    // Same score, same box: the lower cell index wins wherever it sits in the input.
    List<Candidate> kept =
        Nms.select(
            List.of(c(7, 0, 0.6f, 0, 10), c(3, 0, 0.6f, 0, 10), c(5, 1, 0.6f, 0, 10)), 0.5f, 10);
    assertEquals(List.of(3, 5), indices(kept));
  }

  @Test
  void aSuppressedBoxSuppressesNothing() {
    // A-B and B-C overlap with IoU 1/3, A-C not at all: B goes, C stays (greedy, not transitive).
    List<Candidate> kept =
        Nms.select(
            List.of(c(2, 0, 0.7f, 10, 20), c(1, 0, 0.8f, 5, 15), c(0, 0, 0.9f, 0, 10)), 0.3f, 10);
    assertEquals(List.of(0, 2), indices(kept));
  }

  @Test
  void maxDetectionsKeepsTheBestScores() {
    List<Candidate> disjoint = new ArrayList<>();
    float[] scores = {0.2f, 0.9f, 0.5f, 0.7f, 0.1f};
    for (int i = 0; i < scores.length; i++) {
      disjoint.add(c(i, 0, scores[i], 20 * i, 20 * i + 10));
    }
    List<Candidate> input = List.copyOf(disjoint);
    assertEquals(List.of(1, 3), indices(Nms.select(input, 0.5f, 2)));
    assertEquals(List.of(1, 3, 2, 0, 4), indices(Nms.select(input, 0.5f, 100)));
    assertEquals(disjoint, input); // the input is not reordered
    assertThrows(IllegalArgumentException.class, () -> Nms.select(input, 0.5f, 0));
  }
}
