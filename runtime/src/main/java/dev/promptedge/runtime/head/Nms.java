package dev.promptedge.runtime.head;

import dev.promptedge.runtime.image.Box;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy class-wise non-maximum suppression: candidates in descending score (ties: lower index
 * first); a candidate is dropped when its IoU with an already kept box of the same class is
 * strictly greater than the threshold; at most {@code maxDetections} are kept. Stateless.
 */
final class Nms {

  /** A box before suppression; {@code index} is its cell index, used to break score ties. */
  record Candidate(int index, int classId, float score, Box box) {}

  static final Comparator<Candidate> ORDER =
      Comparator.comparing(Candidate::score, Comparator.reverseOrder())
          .thenComparingInt(Candidate::index);

  private Nms() {}

  /** The kept candidates in descending score order; does not modify {@code candidates}. */
  static List<Candidate> select(List<Candidate> candidates, float iouThreshold, int maxDetections) {
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
    }
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(ORDER);
    List<Candidate> kept = new ArrayList<>(Math.min(maxDetections, sorted.size()));
    for (Candidate c : sorted) {
      if (kept.size() == maxDetections) {
        break;
      }
      boolean suppressed = false;
      for (Candidate k : kept) {
        if (k.classId() == c.classId() && k.box().iou(c.box()) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(c);
      }
    }
    return kept;
  }
}
