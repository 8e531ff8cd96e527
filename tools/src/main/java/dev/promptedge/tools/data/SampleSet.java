package dev.promptedge.tools.data;

import java.util.List;

/**
 * An indexed, read-only collection of samples of one task with its class labels. Opening a dataset
 * reads and checks its index (annotations, file lists, image headers); {@link #get} reads and
 * decodes one sample on demand, so memory stays small. Implementations are immutable and
 * thread-safe: a trainer may call {@code get} from several threads to prefetch.
 *
 * <p>{@code try} no resources: a dataset holds paths and parsed annotations, no open files.
 *
 * @param <S> the sample type: {@link DetectionSample}, {@link SegmentationSample} or {@link
 *     ClassificationSample}
 */
public interface SampleSet<S extends Sample> {

  /** Class names; a sample's class indices index this list. */
  List<String> labels();

  /** Number of samples. */
  int size();

  /** The id of sample {@code index} without decoding it (see {@link Sample#id()}). */
  String id(int index);

  /**
   * Reads and decodes sample {@code index} (0-based).
   *
   * @throws IndexOutOfBoundsException when the index is not in {@code [0, size())}
   * @throws DatasetException when the sample's files are unreadable or inconsistent
   */
  S get(int index);

  /** The samples at {@code indices} of this dataset, in that order, as a dataset. */
  default SampleSet<S> subset(int[] indices) {
    return new SubsetDataset<>(this, indices);
  }
}
