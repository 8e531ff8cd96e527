package dev.promptedge.tools.data;

import java.util.Arrays;

/**
 * A class index per pixel (semantic segmentation target), row-major, {@link #IGNORE} where a pixel
 * has no label (VOC's 255 border). Immutable; the array is copied in and out.
 *
 * @param width mask width, pixels
 * @param height mask height, pixels
 * @param classes {@code width * height} class indices as unsigned bytes
 */
public record ClassMask(int width, int height, byte[] classes) {

  /** The index of pixels that are not labelled and do not count in training or evaluation. */
  public static final int IGNORE = 255;

  /** Checks the size and copies the array. */
  public ClassMask {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
    }
    if (classes.length != (long) width * height) {
      throw new IllegalArgumentException(
          "mask of "
              + width
              + "x"
              + height
              + " needs "
              + (long) width * height
              + " entries, got "
              + classes.length);
    }
    classes = classes.clone();
  }

  /** The class indices (a copy). */
  @Override
  public byte[] classes() {
    return classes.clone();
  }

  /** The class index at pixel (x, y), 0..255. */
  public int classAt(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          "pixel " + x + "," + y + " is outside the " + width + "x" + height + " mask");
    }
    return classes[y * width + x] & 0xFF;
  }

  /** Pixels per class index: element {@code c} counts pixels of index {@code c} (256 entries). */
  public int[] histogram() {
    int[] h = new int[256];
    for (byte b : classes) {
      h[b & 0xFF]++;
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassMask m
        && m.width == width
        && m.height == height
        && Arrays.equals(m.classes, classes);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(classes);
  }

  @Override
  public String toString() {
    return "ClassMask[" + width + "x" + height + "]";
  }
}
