package dev.promptedge.tools.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  static final List<String> LABELS = List.of("bg", "a", "b", "c");

  @Test
  void handWorkedSplit() {
    ConfusionMatrix m = new ConfusionMatrix(LABELS);
    // pixel:   0  1  2  3  4    5
    // truth:   0  0  1  1  255  2
    // predict: 0  1  1  1  3    2
    m.add(new int[] {0, 0, 1, 1, 255, 2}, new int[] {0, 1, 1, 1, 3, 2});
    SegmentationMetrics s = m.result();
    // Pixel 4 is ignored (also its prediction "c"). Counted: 5 pixels, 4 correct.
    // bg: TP 1, FN 1 (pixel 1), FP 0 -> 1/2.  a: TP 2, FP 1 -> 2/3.  b: 1/1.
    // c: absent from truth and (counted) prediction -> NaN, left out.
    assertEquals(5, s.pixels());
    assertEquals(0.8, s.pixelAccuracy(), 1e-12);
    assertEquals(0.5, s.perClass().get(0).iou(), 1e-12);
    assertEquals(2.0 / 3, s.perClass().get(1).iou(), 1e-12);
    assertEquals(1.0, s.perClass().get(2).iou(), 1e-12);
    assertTrue(Double.isNaN(s.perClass().get(3).iou()));
    assertEquals((0.5 + 2.0 / 3 + 1.0) / 3, s.miou(), 1e-12);
    assertEquals(1, m.count(0, 1));
  }

  @Test
  void aClassOnlyInThePredictionCountsAsZero() {
    ConfusionMatrix m = new ConfusionMatrix(LABELS);
    // truth all bg; two of four pixels predicted "c": bg IoU 2/4, c IoU 0/2 -> mIoU 0.25.
    m.add(new int[] {0, 0, 0, 0}, new int[] {0, 0, 3, 3});
    SegmentationMetrics s = m.result();
    assertEquals(0.5, s.perClass().get(0).iou(), 1e-12);
    assertEquals(0.0, s.perClass().get(3).iou(), 1e-12);
    assertEquals(0.25, s.miou(), 1e-12);
    assertEquals(0.5, s.pixelAccuracy(), 1e-12);
  }

  @Test
  void perfectPredictionIsOne() {
    ConfusionMatrix m = new ConfusionMatrix(LABELS);
    int[] truth = {0, 1, 2, 3, 255, 2, 1};
    m.add(truth, truth.clone());
    assertEquals(1.0, m.result().miou(), 1e-12);
    assertEquals(1.0, m.result().pixelAccuracy(), 1e-12);
  }

  @Test
  void nothingCountedIsNotANumber() {
    ConfusionMatrix m = new ConfusionMatrix(LABELS);
    m.add(new int[] {255, 255}, new int[] {0, 1});
    assertTrue(Double.isNaN(m.result().miou()));
    assertTrue(Double.isNaN(m.result().pixelAccuracy()));
    assertEquals(0, m.result().pixels());
  }

  @Test
  void classesOutOfRangeAreRefused() {
    ConfusionMatrix m = new ConfusionMatrix(LABELS);
    var e = assertThrows(IllegalArgumentException.class, () -> m.add(4, 0));
    assertTrue(e.getMessage().contains("got truth 4 and prediction 0"), e.getMessage());
  }
}
