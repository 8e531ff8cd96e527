package dev.promptedge.runtime.head;

import dev.promptedge.format.DetectionParams;
import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.image.Letterbox;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the anchor-free detection head: output {@code [Hp][Wp][C + 5]} per image, each cell
 * holding C class logits, one objectness logit and the distances (left, top, right, bottom) from
 * the cell centre as {@code t}, with {@code distance = exp(clamp(t, -10, 10)) * patchSize} model
 * pixels. Each cell proposes its best class with score {@code sigmoid(objectness) *
 * softmax(logits)[c]}; boxes scoring at least the threshold are clipped to the letterboxed image
 * inside the model input, suppressed class-wise ({@link Nms}), cut to {@code maxDetections} and
 * mapped to original-image coordinates. Immutable and thread-safe.
 */
public final class DetectionDecoder {

  /** Box distances are {@code exp(t)} with {@code t} clamped to {@code ±MAX_LOG_DISTANCE}. */
  static final double MAX_LOG_DISTANCE = 10.0;

  private final int gridHeight;
  private final int gridWidth;
  private final int patchSize;
  private final List<String> labels;
  private final float scoreThreshold;
  private final float iouThreshold;
  private final int maxDetections;

  /**
   * A decoder for a {@code gridHeight x gridWidth} grid of {@code patchSize}-pixel cells and the
   * classes in {@code labels}; thresholds are in 0..1, {@code maxDetections} at least 1.
   */
  public DetectionDecoder(
      int gridHeight,
      int gridWidth,
      int patchSize,
      List<String> labels,
      float scoreThreshold,
      float iouThreshold,
      int maxDetections) {
    HeadChecks.grid(gridHeight, gridWidth, patchSize);
    if (!(scoreThreshold >= 0f && scoreThreshold <= 1f)
        || !(iouThreshold >= 0f && iouThreshold <= 1f)) {
      throw new IllegalArgumentException(
          "score and IoU thresholds must be in 0..1, got "
              + scoreThreshold
              + " and "
              + iouThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
    }
    this.gridHeight = gridHeight;
    this.gridWidth = gridWidth;
    this.patchSize = patchSize;
    this.labels = HeadChecks.labels(labels);
    this.scoreThreshold = scoreThreshold;
    this.iouThreshold = iouThreshold;
    this.maxDetections = maxDetections;
  }

  /** A decoder configured from a bundle's detection parameters and labels. */
  public static DetectionDecoder fromParams(
      DetectionParams params, List<String> labels, int gridHeight, int gridWidth, int patchSize) {
    if (params.getMaxDetections() == 0) {
      throw new IllegalArgumentException(
          "post_processing.detection.max_detections is 0; a detection bundle must set it to at"
              + " least 1");
    }
    return new DetectionDecoder(
        gridHeight,
        gridWidth,
        patchSize,
        labels,
        params.getScoreThreshold(),
        params.getIouThreshold(),
        (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(params.getMaxDetections())));
  }

  /** Floats of head output per image: {@code gridHeight * gridWidth * (classes + 5)}. */
  public int outputSize() {
    return gridHeight * gridWidth * (labels.size() + 5);
  }

  /** The class names, in head output order. */
  public List<String> labels() {
    return labels;
  }

  /**
   * Decodes one image's head output starting at index 0; see {@link #decode(float[], int,
   * Letterbox)}.
   */
  public List<Detection> decode(float[] output, Letterbox letterbox) {
    return decode(output, 0, letterbox);
  }

  /**
   * Decodes one image's head output at {@code output[offset .. offset + outputSize())} into
   * detections in descending score order, boxes in the original image of {@code letterbox}. Cells
   * whose values are NaN are skipped.
   */
  public List<Detection> decode(float[] output, int offset, Letterbox letterbox) {
    HeadChecks.output(output, offset, outputSize(), "detection with " + labels.size() + " classes");
    HeadChecks.letterbox(letterbox, gridHeight, gridWidth, patchSize);
    List<Nms.Candidate> candidates = candidates(output, offset, letterbox);
    List<Nms.Candidate> kept = Nms.select(candidates, iouThreshold, maxDetections);
    List<Detection> detections = new ArrayList<>(kept.size());
    for (Nms.Candidate c : kept) {
      detections.add(
          new Detection(
              c.classId(), labels.get(c.classId()), c.score(), letterbox.toOriginal(c.box())));
    }
    return List.copyOf(detections);
  }

  /** Every cell's best class scoring at least the threshold, box in model-input coordinates. */
  List<Nms.Candidate> candidates(float[] output, int offset, Letterbox letterbox) {
    int classes = labels.size();
    int stride = classes + 5;
    // Clip to the part of the model input the image occupies, so NMS sees the final boxes.
    float clipX0 = (float) letterbox.padX();
    float clipY0 = (float) letterbox.padY();
    float clipX1 =
        (float) Math.min(letterbox.dstWidth(), letterbox.padX() + letterbox.contentWidth());
    float clipY1 =
        (float) Math.min(letterbox.dstHeight(), letterbox.padY() + letterbox.contentHeight());
    List<Nms.Candidate> candidates = new ArrayList<>();
    for (int cell = 0; cell < gridHeight * gridWidth; cell++) {
      int base = offset + cell * stride;
      int best = 0;
      float max = output[base];
      for (int c = 1; c < classes; c++) {
        if (output[base + c] > max) {
          max = output[base + c];
          best = c;
        }
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        sum += Math.exp((double) output[base + c] - max);
      }
      float score = (float) (HeadChecks.sigmoid(output[base + classes]) / sum);
      if (!(score >= scoreThreshold)) {
        continue; // also drops NaN scores
      }
      int row = cell / gridWidth;
      int col = cell % gridWidth;
      double cx = (col + 0.5) * patchSize;
      double cy = (row + 0.5) * patchSize;
      float x0 = clip(cx - distance(output[base + classes + 1]), clipX0, clipX1);
      float y0 = clip(cy - distance(output[base + classes + 2]), clipY0, clipY1);
      float x1 = clip(cx + distance(output[base + classes + 3]), clipX0, clipX1);
      float y1 = clip(cy + distance(output[base + classes + 4]), clipY0, clipY1);
      if (!(x1 > x0) || !(y1 > y0)) {
        continue; // empty after clipping (a cell in the padding), or NaN distances
      }
      candidates.add(new Nms.Candidate(cell, best, score, new Box(x0, y0, x1, y1)));
    }
    return candidates;
  }

  private double distance(float t) {
    double clamped = Math.max(-MAX_LOG_DISTANCE, Math.min(MAX_LOG_DISTANCE, t));
    return Math.exp(clamped) * patchSize;
  }

  private static float clip(double v, float lo, float hi) {
    return (float) Math.max(lo, Math.min(hi, v));
  }
}
