package dev.promptedge.tools.data;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A COCO polygon segmentation: one or more polygons {@code [x1, y1, x2, y2, ...]} in continuous
 * pixel coordinates; the instance is their union. A pixel belongs to a polygon when its centre
 * {@code (x + 0.5, y + 0.5)} is inside it (even-odd rule), which can differ from pycocotools at the
 * edges by a pixel. Immutable; the arrays are copied in and never exposed.
 *
 * @param width image width
 * @param height image height
 * @param polygons the polygons, each with an even number (at least 6) of coordinates
 */
public record PolygonMask(int width, int height, List<double[]> polygons) implements InstanceMask {

  /** Checks the sizes and copies the polygons. */
  public PolygonMask {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    List<double[]> copy = new ArrayList<>(polygons.size());
    for (double[] p : polygons) {
      if (p.length < 6 || p.length % 2 != 0) {
        throw new IllegalArgumentException(
            "a polygon needs an even number of at least 6 coordinates, got " + p.length);
      }
      copy.add(p.clone());
    }
    polygons = List.copyOf(copy);
  }

  /** The polygons (copies). */
  @Override
  public List<double[]> polygons() {
    List<double[]> out = new ArrayList<>(polygons.size());
    for (double[] p : polygons) {
      out.add(p.clone());
    }
    return out;
  }

  @Override
  public Rle toRle() {
    BitSet bits = new BitSet(width * height);
    for (double[] p : polygons) {
      fill(p, bits);
    }
    return Rle.fromBits(bits, width, height);
  }

  private void fill(double[] p, BitSet bits) {
    int n = p.length / 2;
    double[] xs = new double[n];
    for (int y = 0; y < height; y++) {
      double yc = y + 0.5;
      int k = 0;
      for (int i = 0; i < n; i++) {
        int j = (i + 1) % n;
        double y0 = p[2 * i + 1];
        double y1 = p[2 * j + 1];
        if ((y0 <= yc) != (y1 <= yc)) {
          double x0 = p[2 * i];
          double x1 = p[2 * j];
          xs[k++] = x0 + (yc - y0) * (x1 - x0) / (y1 - y0);
        }
      }
      java.util.Arrays.sort(xs, 0, k);
      for (int c = 0; c + 1 < k; c += 2) {
        // Pixel x is inside when xs[c] <= x + 0.5 < xs[c + 1].
        int from = Math.max(0, (int) Math.ceil(xs[c] - 0.5));
        int to = Math.min(width, (int) Math.ceil(xs[c + 1] - 0.5));
        if (from < to) {
          bits.set(y * width + from, y * width + to);
        }
      }
    }
  }
}
