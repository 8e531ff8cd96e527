package dev.promptedge.tools.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Fashion-MNIST images: 28x28 grey glyphs with one of 10 clothing classes, read from the IDX
 * files of Debian's {@code dataset-fashion-mnist} package (or any folder with the same four files).
 * Immutable; thread-safe.
 */
public final class FashionMnist {

  /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, index = label, in a form that is also a safe folder name. */
  public static final List<String> LABELS =
      List.of(
          "tshirt_top",
          "trouser",
          "pullover",
          "dress",
          "coat",
          "sandal",
          "shirt",
          "sneaker",
          "bag",
          "ankle_boot");

  /** Glyph side, pixels. */
  public static final int SIDE = 28;

  private final byte[] pixels;
  private final byte[] labels;

  private FashionMnist(byte[] pixels, byte[] labels) {
    this.pixels = pixels;
    this.labels = labels;
  }

  /** The image and label file names of a split, e.g. {@code train-images-idx3-ubyte.gz}. */
  public static List<String> fileNames(Split split) {
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    return List.of(prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz");
  }

  /** True when {@code dir} holds the four gzipped IDX files. */
  public static boolean isPresent(Path dir) {
    for (Split s : Split.values()) {
      for (String name : fileNames(s)) {
        if (!Files.isRegularFile(dir.resolve(name))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Reads one split (TRAIN: 60,000 images, VAL: the 10,000 test images) from {@code dir}.
   *
   * @throws DatasetException when a file is missing or malformed, the images are not 28x28, the
   *     counts differ, or a label is outside 0..9
   */
  public static FashionMnist read(Path dir, Split split) {
    Path imageFile = dir.resolve(fileNames(split).get(0));
    Path labelFile = dir.resolve(fileNames(split).get(1));
    if (!Files.isRegularFile(imageFile) && dir.equals(DEBIAN_DIR)) {
      throw new DatasetException(
          imageFile, "Fashion-MNIST is not installed; run: apt-get install dataset-fashion-mnist");
    }
    IdxFile images = IdxFile.read(imageFile);
    IdxFile labels = IdxFile.read(labelFile);
    int[] d = images.dims();
    if (d.length != 3 || d[1] != SIDE || d[2] != SIDE) {
      throw new DatasetException(
          imageFile, "expected [N, 28, 28] images, got " + Arrays.toString(d));
    }
    int[] l = labels.dims();
    if (l.length != 1 || l[0] != d[0]) {
      throw new DatasetException(
          labelFile, "expected [" + d[0] + "] labels for the images, got " + Arrays.toString(l));
    }
    byte[] lab = labels.data();
    for (int i = 0; i < lab.length; i++) {
      if ((lab[i] & 0xFF) >= LABELS.size()) {
        throw new DatasetException(
            labelFile, "label " + (lab[i] & 0xFF) + " of item " + i + " is not 0..9");
      }
    }
    return new FashionMnist(images.data(), lab);
  }

  /** Builds glyphs from memory: {@code pixels} holds {@code labels.length} 28x28 glyphs. */
  public static FashionMnist of(byte[] pixels, byte[] labels) {
    if (pixels.length != (long) labels.length * SIDE * SIDE) {
      throw new IllegalArgumentException(
          labels.length
              + " glyphs need "
              + labels.length * SIDE * SIDE
              + " bytes, got "
              + pixels.length);
    }
    for (byte b : labels) {
      if ((b & 0xFF) >= LABELS.size()) {
        throw new IllegalArgumentException("label " + (b & 0xFF) + " is not 0..9");
      }
    }
    return new FashionMnist(pixels.clone(), labels.clone());
  }

  /** Number of glyphs. */
  public int size() {
    return labels.length;
  }

  /** The label (0..9) of glyph {@code i}. */
  public int label(int i) {
    return labels[i] & 0xFF;
  }

  /** The grey value (0..255, 0 = background) of glyph {@code i} at ({@code x}, {@code y}). */
  public int pixel(int i, int x, int y) {
    return pixels[i * SIDE * SIDE + y * SIDE + x] & 0xFF;
  }
}
