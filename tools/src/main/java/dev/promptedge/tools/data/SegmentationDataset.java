package dev.promptedge.tools.data;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A semantic segmentation dataset: {@code DIR/images/NAME.(png|jpg|jpeg)}, a class mask {@code
 * DIR/masks/NAME.png} for each image (palette or 8-bit grey, see {@link MaskPng}), and {@code
 * DIR/labels.txt} with one class name per line (line 1 is class 0). {@link #open} checks that every
 * image has a mask of its size (image headers only); {@link #get} decodes both and checks the class
 * indices. Samples are in name order. Immutable and thread-safe.
 */
public final class SegmentationDataset implements SampleSet<SegmentationSample> {

  private final Path dir;
  private final List<String> labels;
  private final List<Entry> entries;

  private SegmentationDataset(Path dir, List<String> labels, List<Entry> entries) {
    this.dir = dir;
    this.labels = List.copyOf(labels);
    this.entries = List.copyOf(entries);
  }

  /**
   * Opens {@code dir} and checks its layout.
   *
   * @throws DatasetException naming the file and the first problem: missing {@code images/}, {@code
   *     masks/} or {@code labels.txt}, empty or duplicate labels, two images with one name, an
   *     image without a mask, a mask whose size differs from its image's
   */
  public static SegmentationDataset open(Path dir) {
    Path imagesDir = dir.resolve("images");
    Path masksDir = dir.resolve("masks");
    List<String> labels = readLabels(dir.resolve("labels.txt"));
    if (!Files.isDirectory(imagesDir)) {
      throw new DatasetException(imagesDir, "image folder is missing");
    }
    if (!Files.isDirectory(masksDir)) {
      throw new DatasetException(masksDir, "mask folder is missing");
    }
    TreeMap<String, Path> images = new TreeMap<>();
    for (Path p : list(imagesDir)) {
      String name = p.getFileName().toString();
      if (!ImageFiles.isImageName(name) || name.startsWith(".")) {
        continue;
      }
      Path previous = images.put(ImageFiles.stem(name), p);
      if (previous != null) {
        throw new DatasetException(
            p, "two images named " + ImageFiles.stem(name) + ": also " + previous.getFileName());
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (var e : images.entrySet()) {
      Path mask = masksDir.resolve(e.getKey() + ".png");
      if (!Files.isRegularFile(mask)) {
        throw new DatasetException(mask, "mask is missing for image " + e.getValue());
      }
      Dimension is = ImageFiles.headerSize(e.getValue());
      Dimension ms = ImageFiles.headerSize(mask);
      if (!is.equals(ms)) {
        throw new DatasetException(
            mask,
            "mask is "
                + ms.width
                + "x"
                + ms.height
                + " but its image "
                + e.getValue().getFileName()
                + " is "
                + is.width
                + "x"
                + is.height);
      }
      entries.add(new Entry(e.getKey(), e.getValue(), mask));
    }
    return new SegmentationDataset(dir, labels, entries);
  }

  /** The dataset directory. */
  public Path dir() {
    return dir;
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public String id(int index) {
    return entries.get(index).name();
  }

  @Override
  public SegmentationSample get(int index) {
    Entry e = entries.get(index);
    BufferedImage image = ImageFiles.decode(e.image());
    ClassMask mask = MaskPng.read(e.mask());
    if (mask.width() != image.getWidth() || mask.height() != image.getHeight()) {
      throw new DatasetException(
          e.mask(),
          "mask is "
              + mask.width()
              + "x"
              + mask.height()
              + " but its image is "
              + image.getWidth()
              + "x"
              + image.getHeight());
    }
    byte[] classes = mask.classes();
    for (int i = 0; i < classes.length; i++) {
      int c = classes[i] & 0xFF;
      if (c >= labels.size() && c != ClassMask.IGNORE) {
        throw new DatasetException(
            e.mask(),
            "class index "
                + c
                + " at pixel ("
                + i % mask.width()
                + ", "
                + i / mask.width()
                + ") is beyond the "
                + labels.size()
                + " classes of labels.txt (0.."
                + (labels.size() - 1)
                + ", or "
                + ClassMask.IGNORE
                + " to ignore)");
      }
    }
    return new SegmentationSample(e.name(), e.image(), image, mask);
  }

  /** Reads a labels file: one non-empty, unique name per line; a final newline is optional. */
  static List<String> readLabels(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(file, "labels file is missing (one class name per line)");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read the labels file: " + e, e);
    }
    Set<String> seen = new HashSet<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String name = lines.get(i).strip();
      if (name.isEmpty()) {
        throw new DatasetException(file, "line " + (i + 1) + " is empty; every line names a class");
      }
      if (!seen.add(name)) {
        throw new DatasetException(file, "line " + (i + 1) + " repeats the class \"" + name + "\"");
      }
      labels.add(name);
    }
    if (labels.isEmpty() || labels.size() > ClassMask.IGNORE) {
      throw new DatasetException(
          file, "has " + labels.size() + " classes; a class mask holds 1.." + ClassMask.IGNORE);
    }
    return labels;
  }

  static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new DatasetException(dir, "cannot list the folder: " + e, e);
    }
  }

  private record Entry(String name, Path image, Path mask) {}
}
