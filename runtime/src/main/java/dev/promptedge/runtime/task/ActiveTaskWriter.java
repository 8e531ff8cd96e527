package dev.promptedge.runtime.task;

import dev.promptedge.runtime.store.BundleStore;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Persists the active task's name behind the swap, so that a swap costs a pointer exchange and not
 * an fsync. Requests coalesce: only the newest name is written. {@link #await()} returns once the
 * newest requested name is durable, which is what an API acknowledges. Thread-safe.
 */
final class ActiveTaskWriter implements AutoCloseable {

  private final BundleStore store;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "promptedge-active-task-writer");
            thread.setDaemon(true);
            return thread;
          });
  private String requested;
  private String written;
  private RuntimeException failure;
  private boolean scheduled;

  ActiveTaskWriter(BundleStore store) {
    this.store = store;
    this.written = store.active().orElse(null);
    this.requested = written;
  }

  /** Asks for {@code name} (null: none) to be persisted; returns at once. */
  synchronized void request(String name) {
    if (Objects.equals(name, requested)) {
      return;
    }
    requested = name;
    failure = null;
    if (!scheduled) {
      scheduled = true;
      worker.execute(this::drain);
    }
  }

  /** Writes the newest requested name until nothing newer is pending. */
  private void drain() {
    while (true) {
      String name;
      synchronized (this) {
        name = requested;
        if (Objects.equals(name, written)) {
          scheduled = false;
          notifyAll();
          return;
        }
      }
      try {
        if (name == null) {
          store.clearActive();
        } else {
          store.setActive(name);
        }
      } catch (RuntimeException e) {
        synchronized (this) {
          failure = e;
          scheduled = false;
          notifyAll();
        }
        return;
      }
      synchronized (this) {
        written = name;
        notifyAll();
      }
    }
  }

  /**
   * Waits until the newest requested name is on disk.
   *
   * @throws IllegalStateException when writing it failed, naming the cause
   */
  synchronized void await() throws InterruptedException {
    while (!Objects.equals(requested, written)) {
      if (failure != null) {
        throw new IllegalStateException(
            "the active task could not be persisted: " + failure.getMessage(), failure);
      }
      wait();
    }
  }

  /** Finishes pending writes and stops the worker. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
