package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The writer of a streaming answer (e.g. Server-Sent Events), from {@link Response#stream}. Any
 * thread may {@link #send} events; the connection's thread writes them in order, one chunk and one
 * flush each. Memory is bounded: when more than the stream's queue limit waits unsent (the client
 * reads too slowly), the stream ends: that send returns false, the connection is closed and every
 * later send returns false. {@link #close()} ends the stream normally once what was sent is
 * written; idempotent.
 */
public final class EventStream implements AutoCloseable {

  private final Connection connection;
  private final long maxQueuedBytes;
  private final boolean chunked;
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private long queuedBytes;
  private long peakQueuedBytes;
  private boolean closed;
  private boolean overflowed;
  private boolean gone;

  EventStream(Connection connection, long maxQueuedBytes, boolean chunked) {
    if (maxQueuedBytes < 1) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 1: " + maxQueuedBytes);
    }
    this.connection = connection;
    this.maxQueuedBytes = maxQueuedBytes;
    this.chunked = chunked;
  }

  /** Queues {@code text} as UTF-8; see {@link #send(byte[])}. */
  public boolean send(String text) {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Queues {@code bytes} (copied) to be written as one chunk: false when the stream has ended
   * (closed, client gone, or this send would have queued more than the limit, which ends it).
   */
  public boolean send(byte[] bytes) {
    synchronized (this) {
      if (closed || overflowed || gone) {
        return false;
      }
      if (bytes.length == 0) {
        return true;
      }
      if (queuedBytes + bytes.length > maxQueuedBytes) {
        overflowed = true;
        queue.clear();
        queuedBytes = 0;
        notifyAll();
      } else {
        queue.add(bytes.clone());
        queuedBytes += bytes.length;
        peakQueuedBytes = Math.max(peakQueuedBytes, queuedBytes);
        notifyAll();
        return true;
      }
    }
    connection.abort();
    return false;
  }

  /** Whether sends are still accepted. */
  public synchronized boolean isOpen() {
    return !closed && !overflowed && !gone;
  }

  /** Whether the stream ended because the client read too slowly. */
  public synchronized boolean endedSlowClient() {
    return overflowed;
  }

  /** Ends the stream once what was sent is written. */
  @Override
  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  synchronized long peakQueuedBytes() {
    return peakQueuedBytes;
  }

  /** The connection is gone (closed by the peer, the server or a timeout): sends now fail. */
  synchronized void gone() {
    gone = true;
    queue.clear();
    queuedBytes = 0;
    notifyAll();
  }

  /** Writes queued events until the stream ends; run by the connection's thread. */
  void pump(OutputStream out) throws IOException {
    while (true) {
      byte[] next;
      synchronized (this) {
        while (queue.isEmpty() && !closed && !overflowed && !gone) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gone = true;
          }
        }
        if (overflowed || gone) {
          return;
        }
        next = queue.poll();
        if (next == null) {
          break; // closed and everything written
        }
        queuedBytes -= next.length;
      }
      connection.writing();
      try {
        if (chunked) {
          out.write(
              (Integer.toHexString(next.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(next);
          out.write('\r');
          out.write('\n');
        } else {
          out.write(next);
        }
        out.flush();
      } catch (IOException e) {
        gone();
        throw e;
      } finally {
        connection.notWriting();
      }
    }
    if (chunked) {
      connection.writing();
      try {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      } finally {
        connection.notWriting();
      }
    }
  }
}
