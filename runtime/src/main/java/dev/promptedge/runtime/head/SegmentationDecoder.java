package dev.promptedge.runtime.head;

import dev.promptedge.format.SegmentationParams;
import dev.promptedge.runtime.image.Letterbox;
import java.util.List;

/**
 * Decodes the segmentation head: logits {@code [Hp][Wp][C]} per image become one class per
 * original-image pixel. Each pixel centre is mapped into the model input by the {@link Letterbox},
 * then onto the patch grid ({@code g = model / patchSize - 0.5}, clamped: half-pixel centres, like
 * TF's resize without align_corners); the C logits are interpolated bilinearly between the four
 * neighbouring cells and the argmax wins (ties and NaN: the lowest class). Immutable and
 * thread-safe; a decode allocates only the mask and two row-sized buffers.
 */
public final class SegmentationDecoder {

  private final int gridHeight;
  private final int gridWidth;
  private final int patchSize;
  private final List<String> labels;
  private final int backgroundClass;

  /**
   * A decoder for a {@code gridHeight x gridWidth} grid of {@code patchSize}-pixel cells and the
   * classes in {@code labels} (at most 65536); {@code backgroundClass} is a class index or -1.
   */
  public SegmentationDecoder(
      int gridHeight, int gridWidth, int patchSize, List<String> labels, int backgroundClass) {
    HeadChecks.grid(gridHeight, gridWidth, patchSize);
    this.labels = HeadChecks.labels(labels);
    if (this.labels.size() > SegmentationMask.MAX_CLASSES) {
      throw new IllegalArgumentException(
          "segmentation supports at most "
              + SegmentationMask.MAX_CLASSES
              + " classes, got "
              + this.labels.size());
    }
    if (backgroundClass < -1 || backgroundClass >= this.labels.size()) {
      throw new IllegalArgumentException(
          "backgroundClass must be -1 or a class index below "
              + this.labels.size()
              + ", got "
              + backgroundClass);
    }
    this.gridHeight = gridHeight;
    this.gridWidth = gridWidth;
    this.patchSize = patchSize;
    this.backgroundClass = backgroundClass;
  }

  /** A decoder configured from a bundle's segmentation parameters and labels. */
  public static SegmentationDecoder fromParams(
      SegmentationParams params,
      List<String> labels,
      int gridHeight,
      int gridWidth,
      int patchSize) {
    return new SegmentationDecoder(
        gridHeight, gridWidth, patchSize, labels, params.getBackgroundClass());
  }

  /** Floats of head output per image: {@code gridHeight * gridWidth * classes}. */
  public int outputSize() {
    return gridHeight * gridWidth * labels.size();
  }

  /** The class names, in head output order. */
  public List<String> labels() {
    return labels;
  }

  /**
   * Decodes one image's logits starting at index 0; see {@link #decode(float[], int, Letterbox)}.
   */
  public SegmentationMask decode(float[] logits, Letterbox letterbox) {
    return decode(logits, 0, letterbox);
  }

  /**
   * Decodes one image's logits at {@code logits[offset .. offset + outputSize())} into a mask of
   * the original image's size ({@code letterbox.srcWidth() x srcHeight()}).
   */
  public SegmentationMask decode(float[] logits, int offset, Letterbox letterbox) {
    int classes = labels.size();
    HeadChecks.output(logits, offset, outputSize(), "segmentation with " + classes + " classes");
    HeadChecks.letterbox(letterbox, gridHeight, gridWidth, patchSize);
    int width = letterbox.srcWidth();
    int height = letterbox.srcHeight();
    GridAxis xs = GridAxis.of(width, letterbox.scale(), letterbox.padX(), patchSize, gridWidth);
    GridAxis ys = GridAxis.of(height, letterbox.scale(), letterbox.padY(), patchSize, gridHeight);
    int rowFloats = gridWidth * classes;
    float[] row = new float[rowFloats]; // the grid row interpolated at this pixel row's y
    float[] scores = new float[classes];
    SegmentationMask.Builder mask =
        new SegmentationMask.Builder(width, height, labels, backgroundClass);
    int lastRow0 = -1;
    float lastFy = Float.NaN;
    for (int y = 0; y < height; y++) {
      int r0 = ys.i0[y];
      float fy = ys.f[y];
      if (r0 != lastRow0 || Float.compare(fy, lastFy) != 0) {
        int a = offset + r0 * rowFloats;
        int b = offset + ys.i1[y] * rowFloats;
        for (int i = 0; i < rowFloats; i++) {
          float top = logits[a + i];
          row[i] = top + fy * (logits[b + i] - top);
        }
        lastRow0 = r0;
        lastFy = fy;
      }
      int pixel = y * width;
      for (int x = 0; x < width; x++) {
        int a = xs.i0[x] * classes;
        int b = xs.i1[x] * classes;
        float fx = xs.f[x];
        for (int c = 0; c < classes; c++) {
          float left = row[a + c];
          scores[c] = left + fx * (row[b + c] - left);
        }
        mask.set(pixel + x, argmax(scores));
      }
    }
    return mask.build();
  }

  /** Index of the largest value; ties go to the lowest index and NaN never wins. */
  static int argmax(float[] values) {
    int best = 0;
    float max = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < values.length; c++) {
      if (values[c] > max) {
        max = values[c];
        best = c;
      }
    }
    return best;
  }

  /** Per original column (or row): the two neighbouring grid cells and the weight of the second. */
  private record GridAxis(int[] i0, int[] i1, float[] f) {
    static GridAxis of(int n, double scale, double pad, int patch, int cells) {
      int[] i0 = new int[n];
      int[] i1 = new int[n];
      float[] f = new float[n];
      for (int i = 0; i < n; i++) {
        double model = (i + 0.5) * scale + pad;
        double g = Math.min(Math.max(model / patch - 0.5, 0), cells - 1);
        int a = (int) g;
        i0[i] = a;
        i1[i] = Math.min(a + 1, cells - 1);
        f[i] = (float) (g - a);
      }
      return new GridAxis(i0, i1, f);
    }
  }
}
