package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A COCO detection dataset: an {@code instances.json} and the folder its {@code file_name}s are
 * relative to. {@link #open} parses and checks every annotation; {@link #get} decodes one image.
 * Labels are the category names ordered by category id; a sample's class index is the position of
 * its category in that order. Immutable and thread-safe.
 */
public final class CocoDataset implements SampleSet<DetectionSample> {

  /** Pixels a box may reach beyond the image before it counts as out of bounds. */
  public static final double BOX_TOLERANCE = 1.0;

  private final Path annotationFile;
  private final List<String> labels;
  private final long[] categoryIds;
  private final List<CocoImage> images;

  CocoDataset(
      Path annotationFile, List<String> labels, long[] categoryIds, List<CocoImage> images) {
    this.annotationFile = annotationFile;
    this.labels = List.copyOf(labels);
    this.categoryIds = categoryIds.clone();
    this.images = List.copyOf(images);
  }

  /**
   * Reads and checks {@code annotationFile} (COCO instances JSON) with image paths relative to
   * {@code imageDir}.
   *
   * @throws DatasetException naming the file and the first problem: malformed JSON, a missing
   *     field, duplicate image/category/annotation ids, a non-positive image size, a negative box
   *     size, a box outside its image by more than {@value #BOX_TOLERANCE} pixel, an unknown image
   *     or category id, a bad segmentation, a file name leaving {@code imageDir}, a missing image
   *     file
   */
  public static CocoDataset open(Path annotationFile, Path imageDir) {
    return new CocoParser(annotationFile, imageDir).parse();
  }

  /** The annotation file this dataset was read from. */
  public Path annotationFile() {
    return annotationFile;
  }

  /** The COCO category id of class index {@code classIndex}. */
  public long categoryId(int classIndex) {
    return categoryIds[classIndex];
  }

  @Override
  public List<String> labels() {
    return labels;
  }

  @Override
  public int size() {
    return images.size();
  }

  @Override
  public String id(int index) {
    return images.get(index).fileName();
  }

  @Override
  public DetectionSample get(int index) {
    CocoImage entry = images.get(index);
    BufferedImage image = ImageFiles.decode(entry.file());
    if (image.getWidth() != entry.width() || image.getHeight() != entry.height()) {
      throw new DatasetException(
          entry.file(),
          "image is "
              + image.getWidth()
              + "x"
              + image.getHeight()
              + " but "
              + annotationFile.getFileName()
              + " says "
              + entry.width()
              + "x"
              + entry.height()
              + " (image id "
              + entry.id()
              + ")");
    }
    return new DetectionSample(
        entry.id(), entry.fileName(), entry.file(), image, entry.instances());
  }

  /** One image entry with its checked instances. */
  record CocoImage(
      long id, String fileName, Path file, int width, int height, List<Instance> instances) {}
}
