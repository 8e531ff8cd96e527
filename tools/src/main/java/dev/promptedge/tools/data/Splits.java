package dev.promptedge.tools.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The train and val parts of a dataset directory. Immutable value.
 *
 * @param train the samples to learn from
 * @param val the samples to validate on (may be empty)
 * @param fromFolders true when the directory had its own {@code train/} and {@code val/} folders,
 *     false when the split was made by a {@link SplitRule}
 * @param <S> the sample type
 */
public record Splits<S extends Sample>(SampleSet<S> train, SampleSet<S> val, boolean fromFolders) {

  /** Checks presence. */
  public Splits {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(val, "val");
  }

  /** The dataset of {@code split}. */
  public SampleSet<S> get(Split split) {
    return split == Split.TRAIN ? train : val;
  }

  /** Splits {@code all} by {@code rule} on the sample ids; both parts keep the original order. */
  public static <S extends Sample> Splits<S> byRule(SampleSet<S> all, SplitRule rule) {
    int n = all.size();
    Integer[] order = new Integer[n];
    long[] rank = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      rank[i] = rank(all.id(i), rule.seed());
    }
    Arrays.sort(order, Comparator.<Integer>comparingLong(i -> rank[i]).thenComparing(i -> i));
    int valCount = (int) Math.round(rule.valFraction() * n);
    boolean[] isVal = new boolean[n];
    for (int k = 0; k < valCount; k++) {
      isVal[order[k]] = true;
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> val = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (isVal[i] ? val : train).add(i);
    }
    return new Splits<>(
        all.subset(train.stream().mapToInt(Integer::intValue).toArray()),
        all.subset(val.stream().mapToInt(Integer::intValue).toArray()),
        false);
  }

  /** A 64-bit FNV-1a hash of the id's UTF-8 bytes, mixed with the seed (SplitMix64 finalizer). */
  static long rank(String id, long seed) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    h += 0x9E3779B97F4A7C15L * (seed | 1);
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    return h ^ (h >>> 31);
  }
}
