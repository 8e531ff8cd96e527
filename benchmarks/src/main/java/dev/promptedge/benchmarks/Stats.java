package dev.promptedge.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/** Lookups into JMH results by benchmark method and parameters, and number formatting. */
final class Stats {

  private final Collection<RunResult> results;

  Stats(Collection<RunResult> results) {
    this.results = results;
  }

  /** The statistics of {@code Class.method} with the given parameter values, in microseconds. */
  Statistics of(Class<?> benchmark, String method, Map<String, String> params) {
    String label = benchmark.getName() + "." + method;
    for (RunResult r : results) {
      if (!r.getParams().getBenchmark().equals(label)) {
        continue;
      }
      boolean match = true;
      for (Map.Entry<String, String> p : params.entrySet()) {
        match &= p.getValue().equals(r.getParams().getParam(p.getKey()));
      }
      if (match) {
        return r.getPrimaryResult().getStatistics();
      }
    }
    throw new IllegalStateException("no result for " + label + " " + params);
  }

  Statistics of(Class<?> benchmark, String method) {
    return of(benchmark, method, Map.of());
  }

  /** Microseconds as a readable time: {@code 12.3 µs}, {@code 4.56 ms}. */
  static String time(double micros) {
    if (micros < 1000) {
      return String.format(Locale.ROOT, "%.1f µs", micros);
    }
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000);
  }

  static String times(double ratio) {
    return ratio >= 100
        ? String.format(Locale.ROOT, "%.0f×", ratio)
        : String.format(Locale.ROOT, "%.2f×", ratio);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%+.1f %%", 100 * fraction);
  }

  static String mib(long kib) {
    return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
  }
}
