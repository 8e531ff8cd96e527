package dev.promptedge.tools.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Pixel counts per (true class, predicted class) accumulated over a split, and the segmentation
 * metrics read from them: per-class IoU {@code TP / (TP + FP + FN)}, mIoU over the classes present
 * in the ground truth or the prediction (a class absent from both is left out), and pixel accuracy.
 * Pixels whose truth is {@link #IGNORE} are not counted. Not thread-safe.
 */
public final class ConfusionMatrix {

  /** A true class that marks an unlabelled pixel (VOC's 255). */
  public static final int IGNORE = 255;

  private final List<String> labels;
  private final long[][] counts;

  /** An empty matrix over the classes {@code labels}. */
  public ConfusionMatrix(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.counts = new long[labels.size()][labels.size()];
  }

  /**
   * Counts one pixel.
   *
   * @param truth the true class, or {@link #IGNORE} to skip the pixel
   * @param predicted the predicted class
   */
  public void add(int truth, int predicted) {
    if (truth == IGNORE) {
      return;
    }
    int n = labels.size();
    if (truth < 0 || truth >= n || predicted < 0 || predicted >= n) {
      throw new IllegalArgumentException(
          "pixel classes must be in 0.."
              + (n - 1)
              + " (or truth "
              + IGNORE
              + "), got truth "
              + truth
              + " and prediction "
              + predicted);
    }
    counts[truth][predicted]++;
  }

  /** Counts pixels pairwise: {@code truth[i]} against {@code predicted[i]}. */
  public void add(int[] truth, int[] predicted) {
    if (truth.length != predicted.length) {
      throw new IllegalArgumentException(
          "truth has " + truth.length + " pixels, prediction " + predicted.length);
    }
    for (int i = 0; i < truth.length; i++) {
      add(truth[i], predicted[i]);
    }
  }

  /** Pixels counted with true class {@code truth} and predicted class {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  /** The metrics of the pixels counted so far. */
  public SegmentationMetrics result() {
    int n = labels.size();
    long total = 0;
    long correct = 0;
    long[] truthPixels = new long[n];
    long[] predictedPixels = new long[n];
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        total += counts[t][p];
        truthPixels[t] += counts[t][p];
        predictedPixels[p] += counts[t][p];
      }
      correct += counts[t][t];
    }
    List<SegmentationMetrics.ClassIou> perClass = new ArrayList<>(n);
    double sum = 0;
    int present = 0;
    for (int c = 0; c < n; c++) {
      long union = truthPixels[c] + predictedPixels[c] - counts[c][c];
      double iou = union == 0 ? Double.NaN : (double) counts[c][c] / union;
      if (union > 0) {
        sum += iou;
        present++;
      }
      perClass.add(
          new SegmentationMetrics.ClassIou(labels.get(c), truthPixels[c], predictedPixels[c], iou));
    }
    return new SegmentationMetrics(
        present == 0 ? Double.NaN : sum / present,
        total == 0 ? Double.NaN : (double) correct / total,
        perClass,
        total);
  }
}
