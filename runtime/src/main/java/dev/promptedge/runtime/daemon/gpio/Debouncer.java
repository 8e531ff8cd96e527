package dev.promptedge.runtime.daemon.gpio;

/**
 * Accepts a button press only when the previous accepted one is at least the debounce time ago, so
 * the bounces of one press count once. Thread-safe.
 */
final class Debouncer {

  private final long debounceNanos;
  private long lastAccepted;
  private boolean any;

  Debouncer(long debounceMillis) {
    this.debounceNanos = debounceMillis * 1_000_000L;
  }

  /** Whether a press at {@code nanos} (a {@link System#nanoTime()} value) counts. */
  synchronized boolean accept(long nanos) {
    if (any && nanos - lastAccepted < debounceNanos) {
      return false;
    }
    any = true;
    lastAccepted = nanos;
    return true;
  }
}
