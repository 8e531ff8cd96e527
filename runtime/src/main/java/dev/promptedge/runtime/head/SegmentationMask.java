package dev.promptedge.runtime.head;

import dev.promptedge.runtime.image.PngBytes;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.BitSet;
import java.util.List;

/**
 * A class id for every pixel of the original image, row-major, with the labels the ids index.
 * Stored as one byte per pixel up to 256 classes, two bytes beyond. Immutable and thread-safe.
 */
public final class SegmentationMask {

  /** The most classes a mask can hold (ids are stored as unsigned 16-bit values). */
  public static final int MAX_CLASSES = 1 << 16;

  /** The most classes {@link #toPng()} can write (8-bit grey values). */
  public static final int MAX_PNG_CLASSES = 256;

  private final int width;
  private final int height;
  private final byte[] bytes; // ids when classes <= 256, else null
  private final short[] shorts; // ids when classes > 256, else null
  private final List<String> labels;
  private final int backgroundClass;

  private SegmentationMask(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.bytes = b.bytes;
    this.shorts = b.shorts;
    this.labels = b.labels;
    this.backgroundClass = b.backgroundClass;
  }

  /** Width of the mask, equal to the original image's width. */
  public int width() {
    return width;
  }

  /** Height of the mask, equal to the original image's height. */
  public int height() {
    return height;
  }

  /** The class names the ids index. */
  public List<String> labels() {
    return labels;
  }

  /** Number of classes, {@code labels().size()}. */
  public int classCount() {
    return labels.size();
  }

  /** The class that counts as background (not reported as an object), or -1 when there is none. */
  public int backgroundClass() {
    return backgroundClass;
  }

  /** The class id at pixel ({@code x}, {@code y}). */
  public int classAt(int x, int y) {
    if (x < 0 || x >= width || y < 0 || y >= height) {
      throw new IndexOutOfBoundsException(
          "pixel " + x + "," + y + " is outside the " + width + "x" + height + " mask");
    }
    return id(y * width + x);
  }

  /** Pixel counts per class: element {@code c} is the number of pixels of class {@code c}. */
  public int[] classPixels() {
    int[] counts = new int[labels.size()];
    int n = width * height;
    for (int i = 0; i < n; i++) {
      counts[id(i)]++;
    }
    return counts;
  }

  /** The pixels of {@code classId} as a bit set; bit {@code y * width + x} is pixel (x, y). */
  public BitSet maskOf(int classId) {
    if (classId < 0 || classId >= labels.size()) {
      throw new IllegalArgumentException(
          "class " + classId + " is not one of the mask's " + labels.size() + " classes");
    }
    BitSet bits = new BitSet(width * height);
    int n = width * height;
    for (int i = 0; i < n; i++) {
      if (id(i) == classId) {
        bits.set(i);
      }
    }
    return bits;
  }

  /**
   * The mask as an 8-bit greyscale PNG whose pixel values are the class ids.
   *
   * @throws IllegalStateException when the mask has more than 256 classes
   */
  public byte[] toPng() {
    if (bytes == null) {
      throw new IllegalStateException(
          "the mask has "
              + labels.size()
              + " classes; an 8-bit PNG holds class ids 0..255 only (at most "
              + MAX_PNG_CLASSES
              + " classes)");
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(bytes, 0, data, 0, bytes.length);
    return PngBytes.encode(img);
  }

  private int id(int index) {
    return bytes != null ? bytes[index] & 0xFF : shorts[index] & 0xFFFF;
  }

  /** Fills a mask pixel by pixel; not thread-safe, used once. */
  static final class Builder {
    private final int width;
    private final int height;
    private final byte[] bytes;
    private final short[] shorts;
    private final List<String> labels;
    private final int backgroundClass;

    Builder(int width, int height, List<String> labels, int backgroundClass) {
      long n = (long) width * height;
      if (width < 1 || height < 1 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("unsupported mask size " + width + "x" + height);
      }
      this.width = width;
      this.height = height;
      this.labels = List.copyOf(labels);
      this.backgroundClass = backgroundClass;
      if (labels.size() <= MAX_PNG_CLASSES) {
        this.bytes = new byte[(int) n];
        this.shorts = null;
      } else {
        this.bytes = null;
        this.shorts = new short[(int) n];
      }
    }

    void set(int index, int classId) {
      if (bytes != null) {
        bytes[index] = (byte) classId;
      } else {
        shorts[index] = (short) classId;
      }
    }

    SegmentationMask build() {
      return new SegmentationMask(this);
    }
  }
}
