package dev.promptedge.runtime.source;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Fans out each frame's results to subscribers through bounded queues that drop (and count) for a
 * slow subscriber instead of blocking the source, and keeps the latest frame per source.
 */
public final class ResultsHub {
  private final CopyOnWriteArrayList<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final Map<String, Latest> latest = new ConcurrentHashMap<>();
  private final Consumer<FrameResults> onPublish;

  /** A hub with no subscribers yet. */
  public ResultsHub() {
    this(r -> {});
  }

  /**
   * A hub that also hands every frame's results to {@code onPublish} (e.g. metrics), on the
   * publishing source's thread before any subscriber sees them; it must be quick.
   */
  public ResultsHub(Consumer<FrameResults> onPublish) {
    this.onPublish = onPublish;
  }

  /** The newest frame of a source: its JPEG bytes and results. */
  public record Latest(byte[] jpeg, FrameResults results) {}

  void publish(byte[] jpeg, FrameResults results) {
    onPublish.accept(results);
    latest.put(results.source(), new Latest(jpeg, results));
    for (Subscription s : subscribers) {
      s.offer(results);
    }
  }

  void forget(String source) {
    latest.remove(source);
  }

  /** The latest frame and results of a source, if it produced one. */
  public Optional<Latest> latest(String source) {
    return Optional.ofNullable(latest.get(source));
  }

  /** A new subscription holding at most {@code capacity} undelivered results. */
  public Subscription subscribe(int capacity) {
    Subscription s = new Subscription(capacity);
    subscribers.add(s);
    return s;
  }

  /** One subscriber's bounded queue; close it to unsubscribe. */
  public final class Subscription implements AutoCloseable {
    private final BlockingQueue<FrameResults> queue;
    private final AtomicLong dropped = new AtomicLong();

    private Subscription(int capacity) {
      queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
    }

    private void offer(FrameResults r) {
      if (!queue.offer(r)) {
        dropped.incrementAndGet();
      }
    }

    /** The next results, waiting up to the timeout; empty if none came. */
    public Optional<FrameResults> poll(long timeout, TimeUnit unit) throws InterruptedException {
      return Optional.ofNullable(queue.poll(timeout, unit));
    }

    /** Results dropped because this subscriber's queue was full. */
    public long dropped() {
      return dropped.get();
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }
}
