package dev.promptedge.tools.source;

import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.source.SourceManager;
import dev.promptedge.runtime.source.SourceStatus;
import dev.promptedge.runtime.task.InferenceResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting in tests for something the sources' threads do, with a message when it never comes. */
final class Await {
  private Await() {}

  static void until(long timeoutMillis, BooleanSupplier done, Supplier<String> what)
      throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("not within " + timeoutMillis + " ms: " + what.get());
      }
      Thread.sleep(20);
    }
  }

  /** The first results the subscription delivers that match {@code test}. */
  static FrameResults results(
      ResultsHub.Subscription sub, long timeoutMillis, Predicate<FrameResults> test)
      throws InterruptedException {
    long end = System.currentTimeMillis() + timeoutMillis;
    FrameResults last = null;
    while (System.currentTimeMillis() < end) {
      FrameResults r = sub.poll(100, TimeUnit.MILLISECONDS).orElse(null);
      if (r != null) {
        last = r;
        if (test.test(r)) {
          return r;
        }
      }
    }
    throw new AssertionError("no matching results within " + timeoutMillis + " ms; last: " + last);
  }

  /** "bundle:version" of each result, in order. */
  static List<String> names(FrameResults r) {
    return r.results().stream().map(Await::name).toList();
  }

  static String name(InferenceResult r) {
    return r.bundleName() + ":" + r.bundleVersion();
  }

  static SourceStatus status(SourceManager sources, String name) {
    return sources.status(name).orElseThrow(() -> new AssertionError("no source " + name));
  }
}
