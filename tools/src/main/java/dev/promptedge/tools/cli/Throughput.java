package dev.promptedge.tools.cli;

import java.io.PrintWriter;
import java.util.Arrays;

/** Timing of repeated iterations (median, p90) and the side-by-side table of the throughput run. */
final class Throughput {

  private Throughput() {}

  /** Milliseconds per iteration over the measured iterations. */
  record Times(double medianMs, double p90Ms, double minMs, double maxMs) {}

  /** One table row: a model, what was timed, at which batch. */
  record Row(String model, String what, int batch, Times times) {

    double imagesPerSecond() {
      return batch * 1000.0 / times.medianMs();
    }
  }

  /** Runs {@code iteration} {@code warmup} times unmeasured, then {@code steps} times measured. */
  static Times time(int warmup, int steps, Runnable iteration) {
    for (int i = 0; i < warmup; i++) {
      iteration.run();
    }
    double[] ms = new double[steps];
    for (int i = 0; i < steps; i++) {
      long start = System.nanoTime();
      iteration.run();
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return new Times(percentile(ms, 50), percentile(ms, 90), ms[0], ms[ms.length - 1]);
  }

  /** The nearest-rank percentile {@code p} of sorted {@code values}. */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static final String FORMAT = "%-13s %-40s %5s %10s %10s %9s %8s%n";

  /** Prints the table's header. */
  static void header(PrintWriter out) {
    out.printf(FORMAT, "model", "what", "batch", "median ms", "p90 ms", "images/s", "x train");
    out.flush();
  }

  /** Prints {@code row}; the ratio is its images/s over {@code train} (the training step's). */
  static void print(PrintWriter out, Row row, Row train) {
    out.printf(
        FORMAT,
        row.model(),
        row.what(),
        row.batch(),
        String.format("%.2f", row.times().medianMs()),
        String.format("%.2f", row.times().p90Ms()),
        String.format("%.1f", row.imagesPerSecond()),
        String.format("%.2f", row.imagesPerSecond() / train.imagesPerSecond()));
    out.flush();
  }
}
