package dev.promptedge.runtime.daemon.serving;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bytes that requests in flight may hold at once — bodies, decoded pixels, per-pixel results
 * ({@code api.decode_budget_bytes}) — as a fair semaphore counted in KiB. Each request takes a
 * {@link Reservation}, grows it before it allocates, and closes it when its answer is written; a
 * request that cannot get room within the wait is refused instead of running the heap out.
 * Thread-safe.
 *
 * <pre>{@code
 * try (MemoryBudget.Reservation r = budget.reserve()) {
 *   if (!r.tryGrow(bytes)) { ... refuse with 503 ... }
 * }
 * }</pre>
 */
public final class MemoryBudget {

  private static final long UNIT = 1024;

  private final long bytes;
  private final long waitMillis;
  private final Semaphore units;

  /** A budget of {@code bytes} where a request waits at most {@code waitMillis} for room. */
  public MemoryBudget(long bytes, long waitMillis) {
    if (bytes < UNIT || bytes / UNIT > Integer.MAX_VALUE || waitMillis < 0) {
      throw new IllegalArgumentException(
          "api.decode_budget_bytes must be between 1 KiB and 2 TiB, got " + bytes);
    }
    this.bytes = bytes;
    this.waitMillis = waitMillis;
    this.units = new Semaphore((int) (bytes / UNIT), true);
  }

  /** The whole budget, bytes. */
  public long bytes() {
    return bytes;
  }

  /** Milliseconds a request waits for room before it is refused. */
  public long waitMillis() {
    return waitMillis;
  }

  /** Bytes free now (for metrics and tests). */
  public long available() {
    return units.availablePermits() * UNIT;
  }

  /** An empty reservation for one request; close it when the request is answered. */
  public Reservation reserve() {
    return new Reservation();
  }

  /** What one request holds; not thread-safe (one request, one thread). */
  public final class Reservation implements AutoCloseable {

    private int held;
    private boolean closed;

    private Reservation() {}

    /** Bytes held now. */
    public long bytes() {
      return held * UNIT;
    }

    /** Whether growing by {@code more} bytes could ever succeed (it fits the whole budget). */
    public boolean couldFit(long more) {
      return units(more) + held <= bytes / UNIT;
    }

    /**
     * Holds {@code more} bytes as well, waiting up to the budget's wait for room.
     *
     * @return false when there was no room in time (nothing more is held)
     */
    public boolean tryGrow(long more) {
      if (closed) {
        throw new IllegalStateException("the reservation is closed");
      }
      if (more <= 0) {
        return true;
      }
      if (!couldFit(more)) {
        return false;
      }
      int n = (int) units(more);
      try {
        if (!units.tryAcquire(n, waitMillis, TimeUnit.MILLISECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      held += n;
      return true;
    }

    /** Gives everything back. Idempotent. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        units.release(held);
        held = 0;
      }
    }
  }

  private static long units(long bytes) {
    return (bytes + UNIT - 1) / UNIT;
  }
}
