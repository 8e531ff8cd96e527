package dev.promptedge.runtime.source;

/**
 * A one-slot hand-off that keeps only the newest frame; a frame replaced before it is taken is
 * counted as dropped.
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

  /** The newest frame, waiting for one; null once closed. */
  synchronized Frame take() throws InterruptedException {
    while (frame == null && !closed) {
      wait();
    }
    Frame f = frame;
    frame = null;
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
