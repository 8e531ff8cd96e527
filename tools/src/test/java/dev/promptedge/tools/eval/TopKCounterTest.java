package dev.promptedge.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopKCounterTest {

  static final List<String> SIX = List.of("c0", "c1", "c2", "c3", "c4", "c5");

  @Test
  void tiesGoToTheLowerClassIdAsOnTheDevice() {
    TopKCounter acc = new TopKCounter(SIX);
    float[] flat = new float[6]; // all equal: the runtime ranks 0, 1, 2, 3, 4 (5 is 6th)
    acc.addLogits(0, flat); // top-1 hit
    acc.addLogits(4, flat); // top-5 hit only
    acc.addLogits(5, flat); // miss
    // c1 and c2 tie at the top: c1 wins top-1, c2 is second.
    acc.addLogits(2, new float[] {1, 3, 3, 0, 0, 0}); // top-5 hit only
    ClassificationMetrics m = acc.result();
    assertEquals(4, m.images());
    assertEquals(1.0 / 4, m.top1(), 1e-12);
    assertEquals(3.0 / 4, m.top5(), 1e-12);
    assertEquals(1.0, m.perClass().get(0).top1(), 1e-12);
    assertEquals(0.0, m.perClass().get(2).top1(), 1e-12);
    assertTrue(Double.isNaN(m.perClass().get(3).top1()));
  }

  @Test
  void rankedListsShorterThanFiveAndEmpty() {
    TopKCounter acc = new TopKCounter(SIX);
    acc.add(1, List.of(0, 1)); // top-5 hit
    acc.add(1, List.of()); // nothing predicted: miss
    assertEquals(0.0, acc.result().top1(), 1e-12);
    assertEquals(0.5, acc.result().top5(), 1e-12);
  }

  @Test
  void noImagesIsNotANumber() {
    ClassificationMetrics m = new TopKCounter(SIX).result();
    assertTrue(Double.isNaN(m.top1()) && Double.isNaN(m.top5()));
  }
}
