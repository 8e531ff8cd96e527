package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.Box;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;

/**
 * A COCO run-length encoded mask: {@code counts} alternate runs of 0s and 1s, starting with 0s,
 * over the pixels in column-major order (down each column, columns left to right), summing to
 * {@code width * height}. Immutable; the array is copied in and out.
 *
 * @param width image width
 * @param height image height
 * @param counts run lengths, non-negative
 */
public record Rle(int width, int height, int[] counts) implements InstanceMask {

  /** Checks the sizes and that the runs cover the image exactly. */
  public Rle {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    long sum = 0;
    for (int c : counts) {
      if (c < 0) {
        throw new IllegalArgumentException("RLE counts must not be negative, got " + c);
      }
      sum += c;
    }
    if (sum != (long) width * height) {
      throw new IllegalArgumentException(
          "RLE counts sum to "
              + sum
              + " pixels, the "
              + width
              + "x"
              + height
              + " image has "
              + (long) width * height);
    }
    counts = counts.clone();
  }

  /** The encoding of {@code bits} (row-major: bit {@code y * width + x} is pixel (x, y)). */
  public static Rle fromBits(BitSet bits, int width, int height) {
    int[] runs = new int[width * height + 1];
    int n = 0;
    boolean current = false;
    int run = 0;
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < height; y++) {
        boolean v = bits.get(y * width + x);
        if (v != current) {
          runs[n++] = run;
          run = 0;
          current = v;
        }
        run++;
      }
    }
    runs[n++] = run;
    return new Rle(width, height, Arrays.copyOf(runs, n));
  }

  /**
   * Decodes COCO's compact string form of the counts (pycocotools {@code rleToString}).
   *
   * @throws IllegalArgumentException when the string is not a valid encoding for this size
   */
  public static Rle fromCompactString(String s, int width, int height) {
    return new Rle(width, height, RleStrings.decode(s));
  }

  /** COCO's compact string form of the counts (pycocotools {@code rleToString}). */
  public String toCompactString() {
    return RleStrings.encode(counts);
  }

  /** The run lengths (a copy). */
  @Override
  public int[] counts() {
    return counts.clone();
  }

  @Override
  public Rle toRle() {
    return this;
  }

  /** The pixels as a row-major bit set: bit {@code y * width + x} is pixel (x, y). */
  public BitSet toBits() {
    BitSet bits = new BitSet(width * height);
    int p = 0;
    for (int i = 0; i < counts.length; i++) {
      if (i % 2 == 1) {
        for (int k = p; k < p + counts[i]; k++) {
          bits.set((k % height) * width + k / height);
        }
      }
      p += counts[i];
    }
    return bits;
  }

  /** Number of pixels in the mask. */
  public long area() {
    long a = 0;
    for (int i = 1; i < counts.length; i += 2) {
      a += counts[i];
    }
    return a;
  }

  /**
   * The tightest box around the mask's pixels in continuous coordinates (pixel (x, y) spans {@code
   * [x, x + 1) x [y, y + 1)}), or empty when the mask has no pixels.
   */
  public Optional<Box> bounds() {
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = -1;
    int maxY = -1;
    int p = 0;
    for (int i = 0; i < counts.length; i++) {
      if (i % 2 == 1 && counts[i] > 0) {
        int first = p;
        int last = p + counts[i] - 1;
        minX = Math.min(minX, first / height);
        maxX = Math.max(maxX, last / height);
        if (first / height == last / height) {
          minY = Math.min(minY, first % height);
          maxY = Math.max(maxY, last % height);
        } else {
          // The run wraps into the next column: it touches the top and the bottom row.
          minY = 0;
          maxY = height - 1;
        }
      }
      p += counts[i];
    }
    if (maxX < 0) {
      return Optional.empty();
    }
    return Optional.of(new Box(minX, minY, maxX + 1, maxY + 1));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rle r
        && r.width == width
        && r.height == height
        && Arrays.equals(r.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Rle[" + width + "x" + height + ", " + counts.length + " runs, area " + area() + "]";
  }
}
