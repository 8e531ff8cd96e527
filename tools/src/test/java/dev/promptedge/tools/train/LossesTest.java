package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.promptedge.format.TaskKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The detection loss on hand-worked cases: centre-ness targets for objectness. */
class LossesTest {

  private static float[] logs(double l, double t, double r, double b) {
    return new float[] {
      (float) Math.log(l), (float) Math.log(t), (float) Math.log(r), (float) Math.log(b)
    };
  }

  @Test
  void centrenessIsOneAtTheCentreAndFallsTowardsTheSides() {
    assertEquals(1f, Losses.centreness(logs(2, 3, 2, 3), 0), 1e-6f);
    // min/max per axis: 1/3 and 2/2 -> sqrt(1/3).
    assertEquals((float) Math.sqrt(1.0 / 3), Losses.centreness(logs(1, 2, 3, 2), 0), 1e-6f);
    // 0.5/2 and 1/4 -> sqrt(1/16) = 0.25; read at an offset.
    float[] two = new float[8];
    System.arraycopy(logs(0.5, 1, 2, 4), 0, two, 4, 4);
    assertEquals(0.25f, Losses.centreness(two, 4), 1e-6f);
  }

  @Test
  void objectnessLearnsCentrenessOnPositiveCellsAndZeroElsewhere() {
    // One image, two cells, one class: cell 0 positive at centre-ness 0.25, cell 1 negative.
    // Logits 0 everywhere and box outputs equal to the targets: class CE log(1) = 0, box L1 0,
    // objectness BCE(0, z) = log 2 for any z, so the loss is log 2 whatever the targets...
    // ...and with objectness logit x on cell 0 it is (BCE(x, 0.25) + log 2) / 2.
    float[] boxTargets = new float[8];
    System.arraycopy(logs(0.5, 1, 2, 4), 0, boxTargets, 0, 4);
    CellTargets t = new CellTargets(new int[] {0, -1}, boxTargets);
    try (NDManager m = NDManager.newBaseManager()) {
      float x = 1.5f;
      float[] out = new float[2 * 6];
      out[1] = x;
      System.arraycopy(boxTargets, 0, out, 2, 4);
      float loss =
          Losses.loss(TaskKind.DETECTION, m.create(out, new Shape(1, 2, 6)), List.of(t), 1, m)
              .getFloat();
      double bce = Math.max(x, 0) - x * 0.25 + Math.log1p(Math.exp(-Math.abs(x)));
      assertEquals((bce + Math.log(2)) / 2, loss, 1e-5);
    }
  }
}
