package dev.promptedge.runtime.daemon.serving;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** A cumulative latency histogram with fixed buckets in seconds, lock-free. */
final class LatencyHistogram {

  /** Upper bounds of the buckets, in seconds; an implicit +Inf bucket follows. */
  static final double[] BOUNDS = {
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final AtomicLongArray counts = new AtomicLongArray(BOUNDS.length + 1);
  private final LongAdder sumMicros = new LongAdder();

  void record(long micros) {
    double seconds = micros / 1e6;
    int i = 0;
    while (i < BOUNDS.length && seconds > BOUNDS[i]) {
      i++;
    }
    counts.incrementAndGet(i);
    sumMicros.add(micros);
  }

  /** Appends the bucket, sum and count lines of metric {@code name} with label {@code labels}. */
  void write(StringBuilder out, String name, String labels) {
    long cumulative = 0;
    for (int i = 0; i <= BOUNDS.length; i++) {
      cumulative += counts.get(i);
      String le = i < BOUNDS.length ? Metrics.number(BOUNDS[i]) : "+Inf";
      out.append(name)
          .append("_bucket{")
          .append(labels)
          .append(",le=\"")
          .append(le)
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
    out.append(name)
        .append("_sum{")
        .append(labels)
        .append("} ")
        .append(Metrics.number(sumMicros.sum() / 1e6))
        .append('\n');
    out.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
  }
}
