package dev.promptedge.runtime.source;

/**
 * A one-slot hand-off between a source's reader and its inference thread: {@link #offer} keeps only
 * the newest frame (a frame replaced before it is taken is counted as dropped), {@link #put} waits
 * for the slot to empty. Thread-safe.
 */
final class LatestFrame {
  private Frame frame;
  private long dropped;
  private boolean closed;

  synchronized void offer(Frame next) {
    if (frame != null) {
      dropped++;
    }
    frame = next;
    notifyAll();
  }

  /** Hands over {@code next} once the previous frame was taken; false if closed meanwhile. */
  synchronized boolean put(Frame next) throws InterruptedException {
    while (frame != null && !closed) {
      wait();
    }
    if (closed) {
      return false;
    }
    frame = next;
    notifyAll();
    return true;
  }

  /** The newest frame, waiting for one; null once closed. */
  synchronized Frame take() throws InterruptedException {
    while (frame == null && !closed) {
      wait();
    }
    Frame f = frame;
    frame = null;
    notifyAll();
    return f;
  }

  synchronized long dropped() {
    return dropped;
  }

  synchronized void close() {
    closed = true;
    frame = null;
    notifyAll();
  }
}
