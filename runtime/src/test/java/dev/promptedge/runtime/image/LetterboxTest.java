package dev.promptedge.runtime.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LetterboxTest {

  @Test
  void landscapeIsPaddedTopAndBottom() {
    // 640x480 into 224x224: scale = min(224/640, 224/480) = 0.35, content 224x168,
    // padY = (224 - 168) / 2 = 28.
    Letterbox lb = Letterbox.fit(640, 480, 224, 224);
    assertEquals(0.35, lb.scale(), 1e-12);
    assertEquals(0.0, lb.padX());
    assertEquals(28.0, lb.padY(), 1e-9);
    assertEquals(168.0, lb.contentHeight(), 1e-9);
  }

  @Test
  void portraitIsPaddedLeftAndRight() {
    Letterbox lb = Letterbox.fit(480, 640, 224, 224);
    assertEquals(0.35, lb.scale(), 1e-12);
    assertEquals(28.0, lb.padX(), 1e-9);
    assertEquals(0.0, lb.padY());
  }

  @Test
  void squareIntoSquareHasNoPadding() {
    Letterbox lb = Letterbox.fit(100, 100, 224, 224);
    assertEquals(2.24, lb.scale(), 1e-12);
    assertEquals(0.0, lb.padX());
    assertEquals(0.0, lb.padY());
  }

  @Test
  void squareIntoWideModelInput() {
    // 1000x1000 into 320x160: scale 0.16, content 160x160, padX = 80.
    Letterbox lb = Letterbox.fit(1000, 1000, 320, 160);
    assertEquals(0.16, lb.scale(), 1e-12);
    assertEquals(80.0, lb.padX(), 1e-9);
    assertEquals(0.0, lb.padY());
    assertEquals(80.0, lb.toModelX(0), 1e-9);
    assertEquals(240.0, lb.toModelX(1000), 1e-9);
  }

  @ParameterizedTest
  @CsvSource({"640,480", "480,640", "300,300", "1,1000", "1920,1080", "7,3"})
  void modelToOriginalToModelRoundTrips(int srcW, int srcH) {
    Letterbox lb = Letterbox.fit(srcW, srcH, 224, 160);
    for (int i = 0; i <= 50; i++) {
      for (int j = 0; j <= 50; j++) {
        // Points inside the content area (borders included), where nothing is clamped.
        double mx = lb.padX() + lb.contentWidth() * i / 50;
        double my = lb.padY() + lb.contentHeight() * j / 50;
        assertEquals(mx, lb.toModelX(lb.toOriginalX(mx)), 1e-4);
        assertEquals(my, lb.toModelY(lb.toOriginalY(my)), 1e-4);
        double ox = srcW * i / 50.0;
        double oy = srcH * j / 50.0;
        assertEquals(ox, lb.toOriginalX(lb.toModelX(ox)), 1e-4 * Math.max(1, srcW / 224.0));
        assertEquals(oy, lb.toOriginalY(lb.toModelY(oy)), 1e-4 * Math.max(1, srcH / 160.0));
      }
    }
  }

  @Test
  void boxesRoundTripAndClampToTheImage() {
    Letterbox lb = Letterbox.fit(640, 480, 224, 224);
    Box original = new Box(100, 50, 300, 400);
    Box model = lb.toModel(original);
    // x: 100 * 0.35 = 35, y: 50 * 0.35 + 28 = 45.5, 300 * 0.35 = 105, 400 * 0.35 + 28 = 168.
    assertEquals(new Box(35f, 45.5f, 105f, 168f), model);
    Box back = lb.toOriginal(model);
    assertEquals(100f, back.xMin(), 1e-3);
    assertEquals(50f, back.yMin(), 1e-3);
    assertEquals(300f, back.xMax(), 1e-3);
    assertEquals(400f, back.yMax(), 1e-3);
    // A box reaching into the padding (y < 28 or y > 196) and past the right edge is clamped.
    assertEquals(new Box(0f, 0f, 640f, 480f), lb.toOriginal(new Box(-5f, 10f, 230f, 220f)));
  }

  @Test
  void invalidSizesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(0, 10, 224, 224));
    assertThrows(IllegalArgumentException.class, () -> Letterbox.fit(10, 10, 224, -1));
    assertThrows(
        IllegalArgumentException.class, () -> new Letterbox(10, 10, 20, 20, 3.0, 0, 0)); // 30 > 20
    assertThrows(IllegalArgumentException.class, () -> new Letterbox(10, 10, 20, 20, 0, 0, 0));
  }
}
