package dev.promptedge.tools.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A classification dataset in the ImageFolder layout: {@code ROOT/CLASS_NAME/*.(png|jpg|jpeg)}.
 * Classes are the sub-folders sorted by name (class index = position); samples are in class, then
 * file-name order. A class folder may be empty (the class has no samples in this split). Hidden
 * entries (starting with '.') and files of other types are skipped. Immutable and thread-safe.
 */
public final class ImageFolderDataset implements SampleSet<ClassificationSample> {

  private final Path root;
  private final List<String> labels;
  private final List<Entry> entries;

  private ImageFolderDataset(Path root, List<String> labels, List<Entry> entries) {
    this.root = root;
    this.labels = List.copyOf(labels);
    this.entries = List.copyOf(entries);
  }

  /**
   * Lists {@code root}'s class folders and their images.
   *
   * @throws DatasetException when the root is missing, has images outside a class folder, or has no
   *     image in any class folder
   */
  public static ImageFolderDataset open(Path root) {
    return open(root, null);
  }

  /**
   * Lists {@code root} with a fixed class list (e.g. a val split opened with its train split's
   * labels): a class may have no folder or an empty one, a folder that is not a class is an error.
   *
   * @throws DatasetException when the root is missing, has images outside a class folder, or a
   *     folder that is not one of {@code classes}
   */
  public static ImageFolderDataset open(Path root, List<String> classes) {
    if (!Files.isDirectory(root)) {
      throw new DatasetException(root, "dataset folder is missing");
    }
    List<String> labels = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    for (Path p : SegmentationDataset.list(root)) {
      String name = p.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (!Files.isDirectory(p)) {
        if (ImageFiles.isImageName(name)) {
          throw new DatasetException(
              p, "image is not inside a class folder (layout: ROOT/CLASS_NAME/IMAGE)");
        }
        continue;
      }
      int cls = classes == null ? labels.size() : classes.indexOf(name);
      if (cls < 0) {
        throw new DatasetException(p, "folder is not one of the classes " + classes);
      }
      for (Path f : SegmentationDataset.list(p)) {
        String fn = f.getFileName().toString();
        if (!fn.startsWith(".") && ImageFiles.isImageName(fn) && Files.isRegularFile(f)) {
          entries.add(new Entry(name + "/" + fn, f, cls));
        }
      }
      labels.add(name);
    }
    if (classes != null) {
      entries.sort(java.util.Comparator.comparingInt(Entry::classIndex));
      return new ImageFolderDataset(root, classes, entries);
    }
    if (entries.isEmpty()) {
      throw new DatasetException(
          root, "has no images in class folders (layout: ROOT/CLASS_NAME/IMAGE.png|jpg)");
    }
    return new ImageFolderDataset(root, labels, entries);
  }

  /** The dataset root. */
  public Path root() {
    return root;
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
    return entries.get(index).id();
  }

  @Override
  public ClassificationSample get(int index) {
    Entry e = entries.get(index);
    return new ClassificationSample(e.id(), e.file(), ImageFiles.decode(e.file()), e.classIndex());
  }

  private record Entry(String id, Path file, int classIndex) {}
}
