package dev.promptedge.tools.quantize;

/**
 * The observed range of one tensor over calibration data: min/max in a first pass and, when a
 * percentile is asked for, a histogram over [min, max] in a second pass. Not thread-safe.
 */
final class RangeAccumulator {

  private static final int BINS = 2048;

  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;
  private long[] histogram;
  private long count;

  void observeMinMax(float[] values) {
    for (float v : values) {
      if (v < min) {
        min = v;
      }
      if (v > max) {
        max = v;
      }
    }
  }

  void observeHistogram(float[] values) {
    if (histogram == null) {
      histogram = new long[BINS];
    }
    float width = (max - min) / BINS;
    for (float v : values) {
      int bin = width > 0 ? (int) ((v - min) / width) : 0;
      histogram[Math.max(0, Math.min(BINS - 1, bin))]++;
    }
    count += values.length;
  }

  boolean seen() {
    return min <= max;
  }

  /** [low, high]: min/max at percentile 100, else the two-sided percentile from the histogram. */
  float[] range(double percentile) {
    if (percentile >= 100 || histogram == null || count == 0) {
      return new float[] {min, max};
    }
    long tail = (long) Math.floor(count * (100 - percentile) / 200);
    float width = (max - min) / BINS;
    int lo = 0;
    long below = 0;
    while (lo < BINS - 1 && below + histogram[lo] <= tail) {
      below += histogram[lo++];
    }
    int hi = BINS - 1;
    long above = 0;
    while (hi > lo && above + histogram[hi] <= tail) {
      above += histogram[hi--];
    }
    return new float[] {min + lo * width, min + (hi + 1) * width};
  }
}
