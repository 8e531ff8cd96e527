package dev.promptedge.tools.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Opens a dataset directory of one task as train and val splits. When the directory has both {@code
 * train/} and {@code val/} sub-folders, each is a dataset of its own in the task's layout;
 * otherwise the directory itself is the dataset and a {@link SplitRule} splits it. Layouts: see the
 * package documentation. Stateless.
 */
public final class Datasets {

  private Datasets() {}

  /** A COCO detection directory: {@code instances.json} plus {@code images/}. */
  public static Splits<DetectionSample> detection(Path dir, SplitRule rule) {
    return open(
        dir,
        rule,
        d -> CocoDataset.open(d.resolve("instances.json"), d.resolve("images")),
        d -> Files.isRegularFile(d.resolve("instances.json")));
  }

  /** A segmentation directory: {@code images/}, {@code masks/}, {@code labels.txt}. */
  public static Splits<SegmentationSample> segmentation(Path dir, SplitRule rule) {
    return open(dir, rule, SegmentationDataset::open, d -> Files.isDirectory(d.resolve("images")));
  }

  /** An ImageFolder classification directory: {@code CLASS_NAME/IMAGE} files. */
  public static Splits<ClassificationSample> classification(Path dir, SplitRule rule) {
    return open(
        dir,
        rule,
        ImageFolderDataset::open,
        d -> false,
        (d, train) -> ImageFolderDataset.open(d, train.labels()));
  }

  private static <S extends Sample> Splits<S> open(
      Path dir, SplitRule rule, Function<Path, SampleSet<S>> reader, Predicate<Path> isWhole) {
    return open(dir, rule, reader, isWhole, (d, train) -> reader.apply(d));
  }

  private static <S extends Sample> Splits<S> open(
      Path dir,
      SplitRule rule,
      Function<Path, SampleSet<S>> reader,
      Predicate<Path> isWholeDataset,
      BiFunction<Path, SampleSet<S>, SampleSet<S>> valReader) {
    if (!Files.isDirectory(dir)) {
      throw new DatasetException(dir, "dataset folder is missing");
    }
    Path train = dir.resolve(Split.TRAIN.dirName());
    Path val = dir.resolve(Split.VAL.dirName());
    boolean hasTrain = Files.isDirectory(train);
    boolean hasVal = Files.isDirectory(val);
    boolean splitLayout =
        !isWholeDataset.test(dir)
            && (hasTrain || hasVal)
            && containsFolders(hasTrain ? train : val);
    if (!splitLayout) {
      return Splits.byRule(reader.apply(dir), rule);
    }
    if (!hasTrain || !hasVal) {
      throw new DatasetException(
          dir,
          "has "
              + (hasTrain ? "train/" : "val/")
              + " but no "
              + (hasTrain ? "val/" : "train/")
              + "; give both split folders or neither");
    }
    SampleSet<S> t = reader.apply(train);
    SampleSet<S> v = valReader.apply(val, t);
    if (!t.labels().equals(v.labels())) {
      throw new DatasetException(
          val, "labels " + v.labels() + " differ from train/'s labels " + t.labels());
    }
    return new Splits<>(t, v, true);
  }

  private static boolean containsFolders(Path dir) {
    return SegmentationDataset.list(dir).stream().anyMatch(Files::isDirectory)
        || Files.isRegularFile(dir.resolve("instances.json"));
  }
}
