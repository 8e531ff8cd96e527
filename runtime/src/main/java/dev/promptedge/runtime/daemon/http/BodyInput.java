package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body as the handler reads it: fixed length or chunked, ending at the body's end (never
 * reading into the next request). The first failure (malformed chunk, timeout, client gone) is kept
 * so that the server can answer it when the handler did not.
 */
abstract class BodyInput extends InputStream {

  final SocketInput in;

  /** Sends {@code 100 Continue} before the body is first read. */
  @FunctionalInterface
  interface BeforeRead {
    void run() throws IOException;
  }

  private final BeforeRead beforeFirstRead;
  private boolean started;
  private boolean done;
  private IOException failure;

  /** {@code beforeFirstRead}: what to do before the first read (send 100 Continue), or null. */
  BodyInput(SocketInput in, BeforeRead beforeFirstRead) {
    this.in = in;
    this.beforeFirstRead = beforeFirstRead;
  }

  /** A body of {@code length} bytes (0: none). */
  static BodyInput fixed(SocketInput in, long length, BeforeRead beforeFirstRead) {
    return new FixedBody(in, length, beforeFirstRead);
  }

  /** A body in chunked transfer coding. */
  static BodyInput chunked(SocketInput in, BeforeRead beforeFirstRead) {
    return new ChunkedBody(in, beforeFirstRead);
  }

  /** Reads up to {@code len} body bytes; -1 at the body's end. */
  abstract int readBody(byte[] b, int off, int len) throws IOException;

  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public final int read(byte[] b, int off, int len) throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (done) {
      return -1;
    }
    try {
      if (!started) {
        started = true;
        if (beforeFirstRead != null) {
          beforeFirstRead.run();
        }
      }
      int n = readBody(b, off, len);
      if (n < 0) {
        done = true;
      }
      return n;
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  /** Whether the whole body has been read. */
  final boolean done() {
    return done;
  }

  /** The failure a read met, or null. */
  final IOException failure() {
    return failure;
  }

  /**
   * Reads and discards what is left of the body, up to {@code maxBytes}: true when the body's end
   * was reached (the connection can serve a next request).
   */
  final boolean drain(long maxBytes) {
    if (done) {
      return true;
    }
    if (failure != null || !started && beforeFirstRead != null) {
      // A client that waits for 100 Continue never sends the body it was not asked for.
      return false;
    }
    byte[] buffer = new byte[8192];
    long total = 0;
    try {
      int n;
      while (total <= maxBytes && (n = read(buffer, 0, buffer.length)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      return false;
    }
    return done;
  }

  @Override
  public void close() {
    // The connection owns the socket; what is left of the body is drained or the connection closed.
  }
}
