package dev.promptedge.runtime.image;

/**
 * The one rule for decoding every {@code step}-th pixel: decoded pixel {@code j} of an axis is
 * source pixel {@code j * step + offset}, the middle of its block (or the last pixel of a short
 * axis), so the decoder and the preprocessor agree on where each decoded pixel sits.
 */
final class Subsampling {

  private Subsampling() {}

  /** The source pixel of decoded pixel 0 along an axis of {@code n} source pixels. */
  static int offset(int n, int step) {
    return Math.min((step - 1) / 2, n - 1);
  }

  /** Decoded pixels along an axis of {@code n} source pixels (ImageIO's rule), at least 1. */
  static int decodedSize(int n, int step) {
    return (n - offset(n, step) + step - 1) / step;
  }
}
