package dev.promptedge.tools.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.SegmentationMap;
import java.util.List;
import java.util.Locale;

/**
 * Asserts that two daemons answered the same requests alike (identical labels, box corners within
 * {@value #BOX_TOLERANCE} px, per-class mask pixel counts within {@value #MASK_FRACTION} of the
 * image's pixels) and keeps the largest differences seen.
 */
final class AnswerParity {

  static final double BOX_TOLERANCE = 1e-3;
  static final double MASK_FRACTION = 1e-3;

  private int boxes;
  private double maxBoxDiff;
  private double maxScoreDiff;
  private int maskCounts;
  private int maskCountsDiffering;
  private long maxMaskDiff;
  private double maxMaskFraction;

  private AnswerParity() {}

  /** Compares the answers pairwise, in order; fails on the first pair out of tolerance. */
  static AnswerParity compare(List<InferResponse> expected, List<InferResponse> actual) {
    assertEquals(expected.size(), actual.size(), "answers");
    AnswerParity parity = new AnswerParity();
    for (int i = 0; i < expected.size(); i++) {
      InferResponse a = expected.get(i);
      InferResponse b = actual.get(i);
      String where = "answer " + i + " (" + a.getBundleName() + ")";
      assertEquals(a.getBundleName(), b.getBundleName(), where);
      assertEquals(a.getTask(), b.getTask(), where);
      assertEquals(a.getImageWidth(), b.getImageWidth(), where);
      assertEquals(a.getImageHeight(), b.getImageHeight(), where);
      assertEquals(a.getDetectionsCount(), b.getDetectionsCount(), where + ": detections");
      for (int d = 0; d < a.getDetectionsCount(); d++) {
        parity.box(a.getDetections(d), b.getDetections(d), where + " detection " + d);
      }
      assertEquals(a.hasSegmentation(), b.hasSegmentation(), where);
      if (a.hasSegmentation()) {
        parity.mask(a.getSegmentation(), b.getSegmentation(), where);
      }
    }
    return parity;
  }

  int boxes() {
    return boxes;
  }

  int maskCounts() {
    return maskCounts;
  }

  private void box(DetectionBox a, DetectionBox b, String where) {
    assertEquals(a.getLabel(), b.getLabel(), where);
    assertEquals(a.getClassId(), b.getClassId(), where);
    double diff =
        Math.max(
            Math.max(Math.abs(a.getXMin() - b.getXMin()), Math.abs(a.getYMin() - b.getYMin())),
            Math.max(Math.abs(a.getXMax() - b.getXMax()), Math.abs(a.getYMax() - b.getYMax())));
    assertTrue(diff <= BOX_TOLERANCE, where + ": box corners differ by " + diff + " px");
    boxes++;
    maxBoxDiff = Math.max(maxBoxDiff, diff);
    maxScoreDiff = Math.max(maxScoreDiff, Math.abs(a.getScore() - b.getScore()));
  }

  private void mask(SegmentationMap a, SegmentationMap b, String where) {
    assertEquals(a.getWidth(), b.getWidth(), where);
    assertEquals(a.getHeight(), b.getHeight(), where);
    assertEquals(a.getLabelsList(), b.getLabelsList(), where);
    assertEquals(a.getClassPixelsCount(), b.getClassPixelsCount(), where);
    long pixels = (long) a.getWidth() * a.getHeight();
    for (int c = 0; c < a.getClassPixelsCount(); c++) {
      long diff = Math.abs(a.getClassPixels(c) - b.getClassPixels(c));
      double fraction = (double) diff / pixels;
      assertTrue(
          fraction <= MASK_FRACTION,
          where
              + " class "
              + c
              + ": "
              + a.getClassPixels(c)
              + " vs "
              + b.getClassPixels(c)
              + " pixels of "
              + pixels);
      maskCounts++;
      maskCountsDiffering += diff == 0 ? 0 : 1;
      maxMaskDiff = Math.max(maxMaskDiff, diff);
      maxMaskFraction = Math.max(maxMaskFraction, fraction);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d boxes, max box corner diff %.3g px, max score diff %.3g; %d class pixel counts, %d"
            + " differ, max by %d px (%.4f %% of the image)",
        boxes,
        maxBoxDiff,
        maxScoreDiff,
        maskCounts,
        maskCountsDiffering,
        maxMaskDiff,
        100.0 * maxMaskFraction);
  }
}
