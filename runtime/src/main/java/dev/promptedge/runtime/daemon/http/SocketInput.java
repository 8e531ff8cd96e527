package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The buffered input of one connection with a deadline: every read waits at most until {@link
 * #deadline(long, String)}, then fails with a 408 {@link HttpError}. Used by one thread at a time.
 */
final class SocketInput {

  private final Socket socket;
  private final InputStream in;
  private final byte[] buffer = new byte[8192];
  private int pos;
  private int limit;
  private long deadlineNanos = Long.MAX_VALUE;
  private String timeoutMessage = "the request was not sent in time";

  SocketInput(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Reads from now on fail once {@code nanoTime} passes, naming {@code what} timed out. */
  void deadline(long nanoTime, String message) {
    this.deadlineNanos = nanoTime;
    this.timeoutMessage = message;
  }

  /**
   * Waits up to {@code idleMillis} for the first byte of a request: true when one is buffered,
   * false on end of stream or when nothing came in time.
   */
  boolean awaitRequest(long idleMillis) throws IOException {
    if (pos < limit) {
      return true;
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, idleMillis)));
    try {
      return fillOnce();
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** The next byte, or -1 at end of stream. */
  int read() throws IOException {
    if (pos >= limit && !fill()) {
      return -1;
    }
    return buffer[pos++] & 0xff;
  }

  /** Up to {@code len} bytes into {@code b}, or -1 at end of stream. */
  int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos >= limit) {
      if (len >= buffer.length) {
        return readDirect(b, off, len);
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buffer, pos, b, off, n);
    pos += n;
    return n;
  }

  private int readDirect(byte[] b, int off, int len) throws IOException {
    arm();
    try {
      return in.read(b, off, len);
    } catch (SocketTimeoutException e) {
      throw timeout();
    }
  }

  private boolean fill() throws IOException {
    arm();
    try {
      return fillOnce();
    } catch (SocketTimeoutException e) {
      throw timeout();
    }
  }

  private boolean fillOnce() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  private void arm() throws IOException {
    if (deadlineNanos == Long.MAX_VALUE) {
      socket.setSoTimeout(0);
      return;
    }
    long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw timeout();
    }
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
  }

  private HttpError timeout() {
    return new HttpError(408, "request_timeout", timeoutMessage);
  }
}
