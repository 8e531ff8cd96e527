package dev.promptedge.runtime.task;

import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Makes the engine's choice of the active task durable ({@code ACTIVE} in the {@link BundleStore})
 * off the swap's path: one thread, coalescing, owned by the {@link TaskEngine}. Every choice is a
 * numbered decision; a burst of {@link #submit}s writes only the latest name, and a write whose
 * decision is older than one already on disk (a {@link #writeNow} in between) is skipped, so the
 * file always follows the order of the decisions. Each write holds the store's monitor (which every
 * {@code BundleStore} method takes), so the lock order is the engine's lock, then the store's;
 * callers make decisions under the engine's lock, and the writer calls {@link Settler#settled}
 * holding no lock. {@link #close()} writes what is pending and stops the thread.
 */
final class ActiveWriter implements AutoCloseable {

  /** Told, on the writer thread, how a written (or skipped) decision ended. */
  interface Settler {

    /**
     * Decision {@code seq} naming {@code name} is on disk ({@code failure} null) or its write
     * failed; returns what the futures waiting for it fail with, or null to complete them.
     */
    RuntimeException settled(long seq, String name, RuntimeException failure);
  }

  private final BundleStore store;
  private final Settler settler;
  private final Thread thread;
  private final Object queue = new Object();

  // Guarded by queue.
  private long decided;
  private Pending pending;
  private boolean closing;

  // Guarded by the store's monitor, held across each check-and-write.
  private long writtenSeq;

  /** A decision waiting for the thread, with everyone waiting for it or an earlier one. */
  private record Pending(long seq, String name, List<CompletableFuture<Void>> waiting) {}

  ActiveWriter(BundleStore store, Settler settler) {
    this.store = store;
    this.settler = settler;
    this.thread = new Thread(this::run, "promptedge-active-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Decides {@code name} and queues its write; the future completes when it or a later decision is
   * on disk, exceptionally with what the {@link Settler} returned when the write failed.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  CompletableFuture<Void> submit(String name) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (queue) {
      if (closing) {
        throw new IllegalStateException("the active-task writer is closed");
      }
      List<CompletableFuture<Void>> waiting =
          pending == null ? new ArrayList<>() : pending.waiting();
      waiting.add(done);
      pending = new Pending(++decided, name, waiting);
      queue.notifyAll();
    }
    return done;
  }

  /**
   * Decides {@code name} (null: no active task) and writes it now, on the caller's thread; a queued
   * earlier decision is then skipped.
   *
   * @throws StoreException when the disk refuses the write; {@code ACTIVE} is unchanged
   */
  void writeNow(String name) {
    long seq;
    synchronized (queue) {
      seq = ++decided;
    }
    synchronized (store) {
      write(seq, name);
    }
  }

  /** Whether a submitted decision waits for the thread (the one being written excluded). */
  boolean queued() {
    synchronized (queue) {
      return pending != null;
    }
  }

  /** The number of the latest decision. */
  long latest() {
    synchronized (queue) {
      return decided;
    }
  }

  private void write(long seq, String name) {
    if (seq <= writtenSeq) {
      return;
    }
    // Read, not remembered: the trials and the store check change ACTIVE too.
    if (!Objects.equals(name, store.active().orElse(null))) {
      if (name == null) {
        store.clearActive();
      } else {
        store.setActive(name);
      }
    }
    writtenSeq = seq;
  }

  private void run() {
    while (true) {
      Pending next;
      synchronized (queue) {
        while (pending == null && !closing) {
          try {
            queue.wait();
          } catch (InterruptedException e) {
            // Only close() ends the thread, once it has written what is pending.
          }
        }
        if (pending == null) {
          return;
        }
        next = pending;
        pending = null;
      }
      RuntimeException failure = null;
      try {
        synchronized (store) {
          write(next.seq(), next.name());
        }
      } catch (RuntimeException e) {
        failure = e;
      }
      RuntimeException answer;
      try {
        answer = settler.settled(next.seq(), next.name(), failure);
      } catch (RuntimeException e) {
        answer = e;
      }
      for (CompletableFuture<Void> waiting : next.waiting()) {
        if (answer == null) {
          waiting.complete(null);
        } else {
          waiting.completeExceptionally(answer);
        }
      }
    }
  }

  /** Writes what is pending, then stops the thread; later submits fail. Idempotent. */
  @Override
  public void close() {
    synchronized (queue) {
      closing = true;
      queue.notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
