package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A bounded queue in front of one inference worker thread. The worker takes up to {@code maxBatch}
 * waiting requests — waiting at most {@code maxWaitMillis} after the first for more to join — and
 * runs them, whatever their tasks, in one {@link TaskEngine#infer(List)} call. Thread-safe. {@link
 * #close()} refuses new requests, answers every queued one, then stops the worker.
 */
public final class InferenceQueue implements AutoCloseable {

  private record Pending(
      TaskRequest request, CompletableFuture<QueuedResult> result, long queued) {}

  private final TaskEngine engine;
  private final Metrics metrics;
  private final int maxBatch;
  private final long maxWaitNanos;
  private final int capacity;
  private final BlockingQueue<Pending> queue;
  private final Thread worker;
  private final Object submitLock = new Object();
  private volatile boolean closed;

  /** Starts the worker thread. */
  public InferenceQueue(
      TaskEngine engine, Metrics metrics, int maxBatch, long maxWaitMillis, int capacity) {
    if (maxBatch < 1 || capacity < 1 || maxWaitMillis < 0) {
      throw new IllegalArgumentException(
          "max batch and queue capacity must be at least 1 and max wait not negative");
    }
    this.engine = engine;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.worker = new Thread(this::work, "promptedged-inference");
    worker.start();
  }

  /**
   * Queues one request.
   *
   * @throws QueueFullException when {@code capacity} requests are waiting already
   * @throws IllegalStateException when the queue is closed (the daemon is shutting down)
   */
  public CompletableFuture<QueuedResult> submit(TaskRequest request) {
    Pending pending = new Pending(request, new CompletableFuture<>(), System.nanoTime());
    synchronized (submitLock) {
      if (closed) {
        throw new IllegalStateException("the daemon is shutting down: retry on its next start");
      }
      if (!queue.offer(pending)) {
        throw new QueueFullException(capacity);
      }
    }
    return pending.result();
  }

  /** Requests waiting now. */
  public int depth() {
    return queue.size();
  }

  private void work() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (true) {
      Pending first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = queue.poll();
      }
      if (first == null) {
        if (closed && queue.isEmpty()) {
          return;
        }
        continue;
      }
      batch.clear();
      batch.add(first);
      fill(batch);
      run(batch);
    }
  }

  /** Adds waiting requests to {@code batch} until it is full or the wait is over. */
  private void fill(List<Pending> batch) {
    long deadline = System.nanoTime() + maxWaitNanos;
    while (batch.size() < maxBatch) {
      queue.drainTo(batch, maxBatch - batch.size());
      long left = deadline - System.nanoTime();
      if (batch.size() >= maxBatch || left <= 0 || closed) {
        return;
      }
      Pending next;
      try {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (next == null) {
        return;
      }
      batch.add(next);
    }
  }

  private void run(List<Pending> batch) {
    long start = System.nanoTime();
    List<TaskRequest> requests = new ArrayList<>(batch.size());
    batch.forEach(p -> requests.add(p.request()));
    List<InferenceResult> results;
    try {
      results = engine.infer(requests);
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.get(0).result().completeExceptionally(e);
        return;
      }
      // One bad request (e.g. its task was removed meanwhile) must not fail the others.
      for (Pending p : batch) {
        run(List.of(p));
      }
      return;
    }
    metrics.batch(batch.size());
    long done = System.nanoTime();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      InferenceResult r = results.get(i);
      metrics.inference(r.bundleName(), (done - p.queued()) / 1_000);
      p.result().complete(new QueuedResult(r, (start - p.queued()) / 1_000, batch.size()));
    }
  }

  /** Refuses new requests, answers the queued ones and stops the worker. Idempotent. */
  @Override
  public void close() {
    synchronized (submitLock) {
      closed = true;
    }
    try {
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
