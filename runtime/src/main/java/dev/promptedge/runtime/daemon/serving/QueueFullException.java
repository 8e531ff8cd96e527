package dev.promptedge.runtime.daemon.serving;

/** The inference queue is full; the caller should retry after a moment (HTTP 429). */
public final class QueueFullException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the queue's capacity. */
  public QueueFullException(int capacity) {
    super(
        "the inference queue is full ("
            + capacity
            + " requests waiting): retry after a moment or send fewer requests at once");
  }
}
