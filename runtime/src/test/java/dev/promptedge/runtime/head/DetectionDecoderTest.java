package dev.promptedge.runtime.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DetectionParams;
import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.image.Letterbox;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionDecoderTest {

  private static final List<String> LABELS = List.of("cat", "dog");
  private static final float LN_QUARTER = (float) Math.log(0.25);

  /**
   * A 2x2 grid of 16-pixel patches (model input 32x32), 2 classes, so 7 floats per cell: logits
   * (cat, dog), objectness, t = (left, top, right, bottom). The original image is 128x64: letterbox
   * scale 0.25, padY = (32 - 16) / 2 = 8, the image covers model rows 8..24.
   *
   * <pre>
   * cell 0 (row 0, col 0), centre (8, 8): logits (3, 0), objectness 1, t = 0 -> distances 16.
   *   score = sigmoid(1) * e^3 / (e^3 + 1) = 0.731059 * 0.952574 = 0.696388, class cat.
   *   box [-8, -8, 24, 24] -> clipped to the image [0, 8, 24, 24]
   *   -> original x / 0.25, (y - 8) / 0.25 = [0, 0, 96, 64].
   * cell 1 (row 0, col 1): logits (0, 0), objectness -3: 0.047426 * 0.5 = 0.0237 < 0.25, dropped.
   * cell 2 (row 1, col 0), centre (8, 24): logits (0, 2), objectness 0, class dog,
   *   score = 0.5 * e^2 / (1 + e^2) = 0.5 * 0.880797 = 0.440399;
   *   t = (ln 1/4, ln 1/4, 0, -20 clamped to -10) -> distances 4, 4, 16, 16 e^-10 = 0.000726:
   *   box [4, 20, 24, 24.0007] -> clipped [4, 20, 24, 24] -> original [16, 48, 96, 64].
   * cell 3 (row 1, col 1), centre (24, 24): logits (4, 0), objectness 0.5, t = 0, class cat,
   *   score = sigmoid(0.5) * e^4 / (e^4 + 1) = 0.622459 * 0.982014 = 0.611264;
   *   box [8, 8, 40, 40] -> clipped [8, 8, 32, 24] -> original [32, 0, 128, 64].
   *   IoU with cell 0 in the model input: intersection [8, 8, 24, 24] = 256,
   *   union 384 + 384 - 256 = 512, IoU exactly 0.5.
   * </pre>
   */
  private static float[] grid() {
    return new float[] {
      3, 0, 1, 0, 0, 0, 0, // cell 0
      0, 0, -3, 0, 0, 0, 0, // cell 1
      0, 2, 0, LN_QUARTER, LN_QUARTER, 0, -20, // cell 2
      4, 0, 0.5f, 0, 0, 0, 0, // cell 3
    };
  }

  private static final Letterbox LETTERBOX = Letterbox.fit(128, 64, 32, 32);
  private static final float CELL0 = (float) (sigmoid(1) * Math.exp(3) / (Math.exp(3) + 1));
  private static final float CELL2 = (float) (0.5 * Math.exp(2) / (1 + Math.exp(2)));
  private static final float CELL3 = (float) (sigmoid(0.5) * Math.exp(4) / (Math.exp(4) + 1));

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static DetectionDecoder decoder(float scoreThreshold, float iou, int max) {
    return new DetectionDecoder(2, 2, 16, LABELS, scoreThreshold, iou, max);
  }

  @Test
  void handWorkedScoresMatch() {
    assertEquals(0.696388f, CELL0, 1e-6f);
    assertEquals(0.440399f, CELL2, 1e-6f);
    assertEquals(0.611264f, CELL3, 1e-6f);
  }

  @Test
  void sameClassOverlapAboveThresholdIsSuppressed() {
    List<Detection> out = decoder(0.25f, 0.45f, 10).decode(grid(), LETTERBOX);
    assertEquals(2, out.size());
    assertDetection(out.get(0), 0, "cat", CELL0, new Box(0, 0, 96, 64));
    assertDetection(out.get(1), 1, "dog", CELL2, new Box(16, 48, 96, 64));
  }

  @Test
  void iouExactlyAtThresholdKeepsBothInScoreOrder() {
    List<Detection> out = decoder(0.25f, 0.5f, 10).decode(grid(), LETTERBOX);
    assertEquals(3, out.size());
    assertDetection(out.get(0), 0, "cat", CELL0, new Box(0, 0, 96, 64));
    assertDetection(out.get(1), 0, "cat", CELL3, new Box(32, 0, 128, 64));
    assertDetection(out.get(2), 1, "dog", CELL2, new Box(16, 48, 96, 64));
  }

  @Test
  void scoreThresholdAndMaxDetectionsApply() {
    List<Detection> strict = decoder(0.5f, 0.5f, 10).decode(grid(), LETTERBOX);
    assertEquals(List.of(CELL0, CELL3), strict.stream().map(Detection::score).toList());
    List<Detection> one = decoder(0.25f, 0.5f, 1).decode(grid(), LETTERBOX);
    assertEquals(1, one.size());
    assertEquals(CELL0, one.get(0).score());
    // A threshold exactly at a score keeps it (score >= threshold).
    assertEquals(3, decoder(CELL2, 0.5f, 10).decode(grid(), LETTERBOX).size());
  }

  @Test
  void logDistancesAreClampedToTen() {
    // One 16-pixel cell, square original (no padding), t = -20 on every side: clamped to -10, so
    // each distance is 16 e^-10 = 7.2638e-4 and the box is 2 x that wide around the centre (8, 8).
    DetectionDecoder d = new DetectionDecoder(1, 1, 16, List.of("x"), 0f, 0.5f, 1);
    float[] out = {5, 5, -20, -20, -20, -20};
    Box box = d.decode(out, Letterbox.fit(16, 16, 16, 16)).get(0).box();
    double expected = 2 * 16 * Math.exp(-10);
    assertEquals(expected, box.xMax() - box.xMin(), 1e-6);
    assertEquals(expected, box.yMax() - box.yMin(), 1e-6);
    assertEquals(8.0, (box.xMin() + box.xMax()) / 2, 1e-6);
    // One class: the softmax is 1 and the score is sigmoid(objectness) alone.
    assertEquals((float) sigmoid(5), d.decode(out, Letterbox.fit(16, 16, 16, 16)).get(0).score());
  }

  @Test
  void cellsWithNanOrInsideThePaddingAreSkipped() {
    float[] out = grid();
    out[0] = Float.NaN; // cell 0's cat logit
    out[3 * 7 + 5] = Float.NaN; // cell 3's right distance
    List<Detection> detections = decoder(0.25f, 0.5f, 10).decode(out, LETTERBOX);
    assertEquals(List.of(1), detections.stream().map(Detection::classId).toList());
    // An original of 32x8 leaves model rows 0..12 and 20..32 as padding; a tiny box around the
    // centre (8, 8) of cell 0 lies entirely in the padding and is dropped.
    float[] tiny = new float[4 * 7];
    tiny[0] = 5;
    tiny[2] = 5;
    Arrays.fill(tiny, 3, 7, -10);
    // The other cells are all zeros: score 0.5 * 0.5 = 0.25, below the threshold of 0.3.
    assertEquals(List.of(), decoder(0.3f, 0.5f, 10).decode(tiny, Letterbox.fit(32, 8, 32, 32)));
    assertEquals(1, decoder(0.3f, 0.5f, 10).decode(tiny, Letterbox.fit(32, 32, 32, 32)).size());
  }

  @Test
  void decodesOneImageOfABatchAtAnOffset() {
    // Threshold 0.3: an all-zero slot scores 0.5 * 0.5 = 0.25 per cell and yields nothing.
    DetectionDecoder d = decoder(0.3f, 0.45f, 10);
    float[] batch = new float[2 * d.outputSize()];
    System.arraycopy(grid(), 0, batch, d.outputSize(), d.outputSize());
    assertEquals(d.decode(grid(), LETTERBOX), d.decode(batch, d.outputSize(), LETTERBOX));
    assertEquals(List.of(), d.decode(batch, 0, LETTERBOX));
  }

  @Test
  void mismatchedInputsAreRefusedClearly() {
    DetectionDecoder d = decoder(0.25f, 0.5f, 10);
    IllegalArgumentException shortOutput =
        assertThrows(IllegalArgumentException.class, () -> d.decode(new float[27], LETTERBOX));
    assertTrue(shortOutput.getMessage().contains("needs 28"), shortOutput.getMessage());
    IllegalArgumentException wrongSize =
        assertThrows(
            IllegalArgumentException.class,
            () -> d.decode(grid(), Letterbox.fit(128, 64, 224, 224)));
    assertTrue(wrongSize.getMessage().contains("covers 32x32"), wrongSize.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new DetectionDecoder(2, 2, 16, LABELS, 1.5f, 0.5f, 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> new DetectionDecoder(2, 2, 16, List.of(), 0.5f, 0.5f, 1));
  }

  @Test
  void fromParamsUsesTheBundleValues() {
    DetectionParams params =
        DetectionParams.newBuilder()
            .setScoreThreshold(0.5f)
            .setIouThreshold(0.45f)
            .setMaxDetections(1)
            .build();
    DetectionDecoder d = DetectionDecoder.fromParams(params, LABELS, 2, 2, 16);
    assertEquals(28, d.outputSize());
    List<Detection> out = d.decode(grid(), LETTERBOX);
    assertEquals(1, out.size());
    assertEquals(CELL0, out.get(0).score());
    IllegalArgumentException unset =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                DetectionDecoder.fromParams(
                    params.toBuilder().setMaxDetections(0).build(), LABELS, 2, 2, 16));
    assertTrue(unset.getMessage().contains("max_detections"), unset.getMessage());
  }

  private static void assertDetection(
      Detection d, int classId, String label, float score, Box box) {
    assertEquals(classId, d.classId());
    assertEquals(label, d.label());
    assertEquals(score, d.score(), 1e-6f);
    assertEquals(box.xMin(), d.box().xMin(), 1e-3f, "xMin of " + d);
    assertEquals(box.yMin(), d.box().yMin(), 1e-3f, "yMin of " + d);
    assertEquals(box.xMax(), d.box().xMax(), 1e-3f, "xMax of " + d);
    assertEquals(box.yMax(), d.box().yMax(), 1e-3f, "yMax of " + d);
  }
}
