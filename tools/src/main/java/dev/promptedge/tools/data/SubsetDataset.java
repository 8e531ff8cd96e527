package dev.promptedge.tools.data;

import java.util.List;

/** A view of some samples of another dataset, by index. Immutable. */
final class SubsetDataset<S extends Sample> implements SampleSet<S> {

  private final SampleSet<S> base;
  private final int[] indices;

  SubsetDataset(SampleSet<S> base, int[] indices) {
    for (int i : indices) {
      if (i < 0 || i >= base.size()) {
        throw new IndexOutOfBoundsException(
            "subset index " + i + " is outside the dataset's " + base.size() + " samples");
      }
    }
    this.base = base;
    this.indices = indices.clone();
  }

  @Override
  public List<String> labels() {
    return base.labels();
  }

  @Override
  public int size() {
    return indices.length;
  }

  @Override
  public String id(int index) {
    return base.id(indices[index]);
  }

  @Override
  public S get(int index) {
    return base.get(indices[index]);
  }
}
