package dev.promptedge.runtime.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.SegmentationParams;
import dev.promptedge.runtime.image.Letterbox;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SegmentationDecoderTest {

  private static final List<String> LABELS = List.of("sky", "road", "car");

  /**
   * A 2x2 grid of 2-pixel patches (model input 4x4), 3 classes: cell (0,0) = (4, 0, 0), (0,1) = (0,
   * 4, 0), (1,0) = (0, 0, 4), (1,1) = (0, 0, 0).
   */
  private static final float[] LOGITS = {4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0};

  /**
   * The original is 8x4 (landscape): scale 0.5, padY = 1. Pixel (x, y) has its centre at model ((x
   * + 0.5) / 2, (y + 0.5) / 2 + 1), i.e. grid gx = (x + 0.5) / 4 - 0.5 clamped to 0..1 = 0, 0,
   * .125, .375, .625, .875, 1, 1 and gy = (y + 0.5) / 4 = .125, .375, .625, .875 (without the
   * padding gy would be clamped to 0 for the top rows). Interpolating rows first, e.g. y = 2 (gy
   * .625): column 0 = (1.5, 0, 2.5), column 1 = (0, 1.5, 0); at x = 4 (gx .625) road = .625 * 1.5 =
   * .9375 and car = 2.5 - .625 * 2.5 = .9375 tie -> road (lower id). y = 3 (gy .875): column 0 =
   * (.5, 0, 3.5), column 1 = (0, .5, 0); at x = 5 (gx .875) road = .4375 and car = 3.5 - .875 * 3.5
   * = .4375 tie -> road; at x = 4 car = 1.3125 > road .3125. Rows 0 and 1: sky wins while gx < .5
   * (x <= 3), road after.
   */
  private static final int[][] EXPECTED_8X4 = {
    {0, 0, 0, 0, 1, 1, 1, 1},
    {0, 0, 0, 0, 1, 1, 1, 1},
    {2, 2, 2, 2, 1, 1, 1, 1},
    {2, 2, 2, 2, 2, 1, 1, 1},
  };

  private final SegmentationDecoder decoder = new SegmentationDecoder(2, 2, 2, LABELS, 0);

  @Test
  void letterboxedOriginalMatchesTheHandWorkedMap() {
    SegmentationMask mask = decoder.decode(LOGITS, Letterbox.fit(8, 4, 4, 4));
    assertEquals(8, mask.width());
    assertEquals(4, mask.height());
    assertMap(EXPECTED_8X4, mask);
    assertArrayEquals(new int[] {8, 15, 9}, mask.classPixels());
    assertEquals(LABELS, mask.labels());
    assertEquals(0, mask.backgroundClass());
  }

  @Test
  void identitySizeInterpolatesBetweenCells() {
    // Original 4x4 = model input: gx = gy = (i + 0.5) / 2 - 0.5 = 0 (clamped), .25, .75, 1.
    // With cell (0,1) weakened to road 3, rows blend to column 0 = (4 - 4gy, 0, 4gy) and column 1
    // = (0, 3 - 3gy, 0), so sky = (4 - 4gy)(1 - gx), road = (3 - 3gy) gx, car = 4gy (1 - gx).
    // (2, 2): gx = gy = .75: sky .25, road .5625, car .75 -> car, where the nearest cell (1,1)
    // would say sky. (3, 3): all three 0, a tie -> sky. (2, 1): sky .75, road 1.6875 -> road.
    float[] logits = LOGITS.clone();
    logits[4] = 3;
    SegmentationMask mask = decoder.decode(logits, Letterbox.fit(4, 4, 4, 4));
    assertMap(
        new int[][] {
          {0, 0, 1, 1},
          {0, 0, 1, 1},
          {2, 2, 2, 1},
          {2, 2, 2, 0},
        },
        mask);
    // Raising cell (1,1)'s car logit to 5 makes car win at (3, 3), which sees only that cell.
    logits[11] = 5;
    assertEquals(2, decoder.decode(logits, Letterbox.fit(4, 4, 4, 4)).classAt(3, 3));
  }

  @Test
  void singleCellGridGivesOneClassEverywhere() {
    SegmentationDecoder one = new SegmentationDecoder(1, 1, 4, LABELS, -1);
    SegmentationMask mask = one.decode(new float[] {0, 1, 1}, Letterbox.fit(5, 3, 4, 4));
    assertArrayEquals(new int[] {0, 15, 0}, mask.classPixels()); // tie road/car -> road
  }

  @Test
  void maskOfAndClassAtAgree() {
    SegmentationMask mask = decoder.decode(LOGITS, Letterbox.fit(8, 4, 4, 4));
    BitSet car = mask.maskOf(2);
    assertEquals(9, car.cardinality());
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(EXPECTED_8X4[y][x] == 2, car.get(y * 8 + x), "pixel " + x + "," + y);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> mask.maskOf(3));
    assertThrows(IndexOutOfBoundsException.class, () -> mask.classAt(8, 0));
  }

  @Test
  void toPngWritesClassIdsAsGreyValues() throws IOException {
    SegmentationMask mask = decoder.decode(LOGITS, Letterbox.fit(8, 4, 4, 4));
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(mask.toPng()));
    assertEquals(BufferedImage.TYPE_BYTE_GRAY, png.getType());
    assertEquals(8, png.getColorModel().getPixelSize());
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(EXPECTED_8X4[y][x], png.getRaster().getSample(x, y, 0));
      }
    }
  }

  @Test
  void moreThan256ClassesAreStoredButNotWrittenAsPng() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      many.add("c" + i);
    }
    float[] logits = new float[300];
    logits[299] = 1;
    SegmentationMask mask =
        new SegmentationDecoder(1, 1, 2, many, -1).decode(logits, Letterbox.fit(3, 2, 2, 2));
    assertEquals(299, mask.classAt(2, 1));
    assertEquals(6, mask.classPixels()[299]);
    IllegalStateException e = assertThrows(IllegalStateException.class, mask::toPng);
    assertTrue(e.getMessage().contains("300 classes"), e.getMessage());
  }

  @Test
  void argmaxPrefersTheLowestIndexAndIgnoresNan() {
    assertEquals(0, SegmentationDecoder.argmax(new float[] {2, 2, 1}));
    assertEquals(1, SegmentationDecoder.argmax(new float[] {Float.NaN, 1, 1}));
    assertEquals(0, SegmentationDecoder.argmax(new float[] {Float.NaN, Float.NaN}));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> decoder.decode(new float[11], Letterbox.fit(8, 4, 4, 4)));
    assertThrows(
        IllegalArgumentException.class, () -> decoder.decode(LOGITS, Letterbox.fit(8, 4, 8, 8)));
    assertThrows(IllegalArgumentException.class, () -> new SegmentationDecoder(2, 2, 2, LABELS, 3));
  }

  @Test
  void fromParamsTakesTheBackgroundClass() {
    SegmentationDecoder d =
        SegmentationDecoder.fromParams(
            SegmentationParams.newBuilder().setBackgroundClass(-1).build(), LABELS, 2, 2, 2);
    assertEquals(12, d.outputSize());
    float[] batch = new float[24];
    System.arraycopy(LOGITS, 0, batch, 12, 12);
    SegmentationMask mask = d.decode(batch, 12, Letterbox.fit(8, 4, 4, 4));
    assertEquals(-1, mask.backgroundClass());
    assertMap(EXPECTED_8X4, mask);
  }

  private static void assertMap(int[][] expected, SegmentationMask mask) {
    for (int y = 0; y < expected.length; y++) {
      int[] row = new int[expected[y].length];
      for (int x = 0; x < row.length; x++) {
        row[x] = mask.classAt(x, y);
      }
      assertArrayEquals(expected[y], row, "row " + y);
    }
  }
}
