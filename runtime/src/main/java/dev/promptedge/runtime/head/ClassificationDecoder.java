package dev.promptedge.runtime.head;

import dev.promptedge.format.ClassificationParams;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the classification head: C logits become softmax probabilities (computed stably in
 * double, max subtracted) and the {@code topK} best classes, highest probability first and equal
 * probabilities by lower class id. Immutable and thread-safe.
 */
public final class ClassificationDecoder {

  private final List<String> labels;
  private final int topK;

  /**
   * A decoder for the classes in {@code labels} returning the {@code topK} best (at least 1; more
   * than the number of classes returns every class).
   */
  public ClassificationDecoder(List<String> labels, int topK) {
    this.labels = HeadChecks.labels(labels);
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    this.topK = topK;
  }

  /** A decoder configured from a bundle's classification parameters and labels. */
  public static ClassificationDecoder fromParams(ClassificationParams params, List<String> labels) {
    if (params.getTopK() == 0) {
      throw new IllegalArgumentException(
          "post_processing.classification.top_k is 0; a classification bundle must set it to at"
              + " least 1");
    }
    return new ClassificationDecoder(
        labels, (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(params.getTopK())));
  }

  /** Floats of head output per image: the number of classes. */
  public int outputSize() {
    return labels.size();
  }

  /** The class names, in head output order. */
  public List<String> labels() {
    return labels;
  }

  /** Decodes one image's logits starting at index 0; see {@link #decode(float[], int)}. */
  public List<ClassProbability> decode(float[] logits) {
    return decode(logits, 0);
  }

  /**
   * The top-k classes of the logits at {@code logits[offset .. offset + outputSize())}.
   *
   * @throws IllegalArgumentException when a logit is NaN or infinite
   */
  public List<ClassProbability> decode(float[] logits, int offset) {
    int classes = labels.size();
    HeadChecks.output(logits, offset, classes, "classification with " + classes + " classes");
    float[] probabilities = softmax(logits, offset, classes);
    int k = Math.min(topK, classes);
    // Insertion into a sorted top-k list: O(C * k), no boxing.
    int[] best = new int[k];
    int size = 0;
    for (int c = 0; c < classes; c++) {
      float p = probabilities[c];
      if (size == k && !(p > probabilities[best[k - 1]])) {
        continue; // not better than the worst kept; equal loses to the lower id already kept
      }
      int i = size < k ? size++ : k - 1;
      while (i > 0 && p > probabilities[best[i - 1]]) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = c;
    }
    List<ClassProbability> result = new ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      result.add(new ClassProbability(best[i], labels.get(best[i]), probabilities[best[i]]));
    }
    return List.copyOf(result);
  }

  /** Softmax of {@code n} logits from {@code offset}, in double with the maximum subtracted. */
  static float[] softmax(float[] logits, int offset, int n) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = logits[offset + i];
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "classification logit " + i + " is " + v + "; the head produced a non-finite value");
      }
      max = Math.max(max, v);
    }
    double[] e = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      e[i] = Math.exp((double) logits[offset + i] - max);
      sum += e[i];
    }
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) (e[i] / sum);
    }
    return p;
  }
}
