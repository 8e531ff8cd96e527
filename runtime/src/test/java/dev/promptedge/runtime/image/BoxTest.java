package dev.promptedge.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BoxTest {

  @Test
  void areaIsZeroForEmptyOrInvertedBoxes() {
    assertEquals(12f, new Box(1, 2, 4, 6).area());
    assertEquals(0f, new Box(4, 2, 1, 6).area());
    assertEquals(0f, new Box(1, 2, 1, 6).area());
  }

  @Test
  void iouOfHandWorkedPairs() {
    Box a = new Box(0, 0, 10, 10);
    assertEquals(1f, a.iou(a));
    // [0,0,10,10] and [5,0,15,10]: intersection 5x10 = 50, union 100 + 100 - 50 = 150.
    assertEquals(50f / 150f, a.iou(new Box(5, 0, 15, 10)), 1e-7f);
    // Contained: intersection 4, union 100.
    assertEquals(0.04f, a.iou(new Box(2, 2, 4, 4)), 1e-7f);
    // Touching edges and disjoint boxes do not overlap.
    assertEquals(0f, a.iou(new Box(10, 0, 20, 10)));
    assertEquals(0f, a.iou(new Box(20, 20, 30, 30)));
    assertEquals(0f, a.iou(new Box(3, 3, 3, 3)));
  }
}
