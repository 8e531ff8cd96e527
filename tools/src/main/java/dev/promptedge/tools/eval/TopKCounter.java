package dev.promptedge.tools.eval;

import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.ClassificationDecoder;
import java.util.List;

/**
 * Counts top-1 and top-5 hits of classification results. Rankings come from the runtime's {@link
 * ClassificationDecoder} (highest probability first, equal probabilities by lower class id), so a
 * tie is broken exactly as on the device. Not thread-safe.
 */
public final class TopKCounter {

  /** The k of top-k accuracy reported besides top-1. */
  public static final int K = 5;

  private final List<String> labels;
  private final ClassificationDecoder decoder;
  private final long[] perClassTotal;
  private final long[] perClassTop1;
  private long total;
  private long top1;
  private long topK;

  /** An empty count over the classes {@code labels}. */
  public TopKCounter(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.decoder = new ClassificationDecoder(labels, K);
    this.perClassTotal = new long[labels.size()];
    this.perClassTop1 = new long[labels.size()];
  }

  /** Counts one image from its head output (one logit per class), ranked by the runtime. */
  public void addLogits(int truth, float[] logits) {
    add(truth, decoder.decode(logits).stream().map(ClassProbability::classId).toList());
  }

  /**
   * Counts one image from its ranked class ids, best first.
   *
   * @throws IllegalArgumentException when {@code truth} is not a class id
   */
  public void add(int truth, List<Integer> ranked) {
    if (truth < 0 || truth >= labels.size()) {
      throw new IllegalArgumentException(
          "true class " + truth + " is not one of the " + labels.size() + " labels");
    }
    total++;
    perClassTotal[truth]++;
    if (!ranked.isEmpty() && ranked.get(0) == truth) {
      top1++;
      perClassTop1[truth]++;
    }
    if (ranked.subList(0, Math.min(K, ranked.size())).contains(truth)) {
      topK++;
    }
  }

  /** The accuracies counted so far. */
  public ClassificationMetrics result() {
    List<ClassificationMetrics.ClassAccuracy> perClass = new java.util.ArrayList<>(labels.size());
    for (int c = 0; c < labels.size(); c++) {
      perClass.add(
          new ClassificationMetrics.ClassAccuracy(
              labels.get(c),
              perClassTotal[c],
              perClassTotal[c] == 0 ? Double.NaN : (double) perClassTop1[c] / perClassTotal[c]));
    }
    return new ClassificationMetrics(
        total == 0 ? Double.NaN : (double) top1 / total,
        total == 0 ? Double.NaN : (double) topK / total,
        perClass,
        total);
  }
}
