package dev.promptedge.tools.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a dataset's class indices to a bundle's by class name, so a dataset whose labels are in
 * another order (ImageFolder sorts its folders) still evaluates correctly.
 */
final class LabelMap {

  private LabelMap() {}

  /**
   * {@code map[datasetIndex] = bundleIndex}.
   *
   * @throws IllegalArgumentException naming the labels on either side that have no match
   */
  static int[] of(List<String> bundleLabels, List<String> datasetLabels) {
    List<String> notInBundle = new ArrayList<>();
    int[] map = new int[datasetLabels.size()];
    for (int i = 0; i < datasetLabels.size(); i++) {
      map[i] = bundleLabels.indexOf(datasetLabels.get(i));
      if (map[i] < 0) {
        notInBundle.add(datasetLabels.get(i));
      }
    }
    List<String> notInDataset =
        bundleLabels.stream().filter(l -> !datasetLabels.contains(l)).toList();
    if (!notInBundle.isEmpty() || !notInDataset.isEmpty()) {
      throw new IllegalArgumentException(
          "the bundle's labels "
              + bundleLabels
              + " and the dataset's labels "
              + datasetLabels
              + " differ"
              + (notInBundle.isEmpty() ? "" : "; not in the bundle: " + notInBundle)
              + (notInDataset.isEmpty() ? "" : "; not in the dataset: " + notInDataset)
              + ": evaluate on data with the classes the bundle was trained for (matched by name)");
    }
    return map;
  }
}
