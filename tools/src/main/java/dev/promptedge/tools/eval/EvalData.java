package dev.promptedge.tools.eval;

import dev.promptedge.format.TaskKind;
import dev.promptedge.tools.data.CocoDataset;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.SplitRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens the split of a dataset directory that a bundle of a given task kind evaluates on, with the
 * tools' dataset readers ({@link Datasets}), and finds the COCO category ids results are written
 * with. Stateless.
 */
public final class EvalData {

  private EvalData() {}

  /** The {@code split} of {@code dir} read in the layout of task {@code kind}. */
  public static SampleSet<? extends Sample> open(
      TaskKind kind, Path dir, Split split, SplitRule rule) {
    return switch (kind) {
      case DETECTION -> Datasets.detection(dir, rule).get(split);
      case SEGMENTATION -> Datasets.segmentation(dir, rule).get(split);
      case CLASSIFICATION -> Datasets.classification(dir, rule).get(split);
      default -> throw new IllegalArgumentException("cannot evaluate task kind " + kind);
    };
  }

  /**
   * COCO category id per bundle class: the id of the dataset category with the same name, read from
   * the split's {@code instances.json} ({@code dir/SPLIT/} or {@code dir/}); without one, the ids
   * seen in the ground truth, and for a class never seen an id above all known ones.
   */
  public static long[] categoryIds(
      List<String> bundleLabels, SampleSet<? extends Sample> data, Path dir, Split split) {
    int[] map = LabelMap.of(bundleLabels, data.labels());
    long[] byDataset = new long[data.labels().size()];
    java.util.Arrays.fill(byDataset, -1);
    CocoDataset coco = data instanceof CocoDataset c ? c : reopen(dir, split);
    if (coco != null && coco.labels().equals(data.labels())) {
      for (int i = 0; i < byDataset.length; i++) {
        byDataset[i] = coco.categoryId(i);
      }
    } else {
      for (int i = 0; i < data.size(); i++) {
        if (data.get(i) instanceof DetectionSample s) {
          for (Instance inst : s.instances()) {
            byDataset[inst.classIndex()] = inst.categoryId();
          }
        }
      }
    }
    long next = 1;
    for (long id : byDataset) {
      next = Math.max(next, id + 1);
    }
    long[] ids = new long[bundleLabels.size()];
    for (int i = 0; i < byDataset.length; i++) {
      ids[map[i]] = byDataset[i] >= 0 ? byDataset[i] : next++;
    }
    return ids;
  }

  private static CocoDataset reopen(Path dir, Split split) {
    for (Path d : List.of(dir.resolve(split.dirName()), dir)) {
      if (Files.isRegularFile(d.resolve("instances.json"))) {
        return CocoDataset.open(d.resolve("instances.json"), d.resolve("images"));
      }
    }
    return null;
  }
}
