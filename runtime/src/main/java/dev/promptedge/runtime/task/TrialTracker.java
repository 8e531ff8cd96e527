package dev.promptedge.runtime.task;

import dev.promptedge.runtime.store.StoreException;
import dev.promptedge.runtime.store.Trials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The trials of this process: a bundle installed here commits (its {@code pending/} record and the
 * previous version are deleted) after it served {@code inferences} inferences, after {@code time}
 * without the process dying, or when the engine closes cleanly, whichever comes first. Thread-safe;
 * owns a timer thread that {@link #close()} stops.
 */
final class TrialTracker implements AutoCloseable {

  private record Open(long version, AtomicInteger left, ScheduledFuture<?> timeout) {}

  private final Trials trials;
  private final int inferences;
  private final Duration time;
  private final Map<String, Open> open = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "promptedge-trial-timer");
            thread.setDaemon(true);
            return thread;
          });

  TrialTracker(Trials trials, int inferences, Duration time) {
    this.trials = trials;
    this.inferences = inferences;
    this.time = time;
  }

  /** Starts counting for {@code name} v{@code version}, stored and self-tested under a trial. */
  synchronized void started(String name, long version) {
    drop(name);
    ScheduledFuture<?> timeout =
        timer.schedule(() -> commit(name, version), time.toMillis(), TimeUnit.MILLISECONDS);
    open.put(name, new Open(version, new AtomicInteger(inferences), timeout));
  }

  /** Counts one inference served by {@code bundle}; the last one needed commits its trial. */
  void served(ResidentBundle bundle) {
    Open trial = open.get(bundle.name());
    if (trial != null
        && trial.version() == bundle.bundle().version()
        && trial.left().decrementAndGet() == 0) {
      commit(bundle.name(), trial.version());
    }
  }

  /** Forgets the trial of {@code name} without touching the disk (a newer install replaces it). */
  synchronized void drop(String name) {
    Open trial = open.remove(name);
    if (trial != null) {
      trial.timeout().cancel(false);
    }
  }

  private synchronized void commit(String name, long version) {
    Open trial = open.get(name);
    if (trial == null || trial.version() != version) {
      return;
    }
    try {
      trials.finish(name);
      open.remove(name);
      trial.timeout().cancel(false);
    } catch (StoreException e) {
      // Stays open: the next inference or a clean close tries again.
      trial.left().set(1);
    }
  }

  /** Names of the tasks on trial now, sorted. */
  List<String> names() {
    List<String> names = new ArrayList<>(open.keySet());
    names.sort(null);
    return names;
  }

  /** Commits every open trial (a clean stop: none of them took the process down) and stops. */
  @Override
  public synchronized void close() {
    for (Map.Entry<String, Open> e : List.copyOf(open.entrySet())) {
      commit(e.getKey(), e.getValue().version());
    }
    timer.shutdownNow();
  }
}
