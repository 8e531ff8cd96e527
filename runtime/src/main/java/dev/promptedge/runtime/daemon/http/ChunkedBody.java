package dev.promptedge.runtime.daemon.http;

import java.io.IOException;

/**
 * A body in chunked transfer coding (RFC 9112 section 7.1): chunk extensions are ignored, trailer
 * fields read and dropped, sizes and line lengths bounded.
 */
final class ChunkedBody extends BodyInput {

  private static final int MAX_LINE = 4096;
  private static final int MAX_TRAILER_BYTES = 16384;

  private long chunkLeft;
  private boolean first = true;
  private boolean ended;

  ChunkedBody(SocketInput in, BodyInput.BeforeRead beforeFirstRead) {
    super(in, beforeFirstRead);
  }

  @Override
  int readBody(byte[] b, int off, int len) throws IOException {
    if (ended) {
      return -1;
    }
    if (chunkLeft == 0) {
      if (!first) {
        expectCrlf();
      }
      first = false;
      chunkLeft = chunkSize(line());
      if (chunkLeft == 0) {
        trailers();
        ended = true;
        return -1;
      }
    }
    int n = in.read(b, off, (int) Math.min(len, chunkLeft));
    if (n < 0) {
      throw truncated();
    }
    chunkLeft -= n;
    return n;
  }

  private static long chunkSize(String line) throws HttpError {
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).strip();
    if (hex.isEmpty() || hex.length() > 15) {
      throw HttpError.badRequest(
          "malformed chunk size '" + HeadParser.printable(line) + "' in the chunked body");
    }
    long size = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        throw HttpError.badRequest(
            "malformed chunk size '" + HeadParser.printable(line) + "' in the chunked body");
      }
      size = size * 16 + d;
    }
    return size;
  }

  private void expectCrlf() throws IOException {
    if (!line().isEmpty()) {
      throw HttpError.badRequest("a chunk of the chunked body is longer than its size");
    }
  }

  private void trailers() throws IOException {
    int bytes = 0;
    String t;
    while (!(t = line()).isEmpty()) {
      bytes += t.length() + 2;
      if (bytes > MAX_TRAILER_BYTES) {
        throw HttpError.badRequest("the chunked body's trailer is too large");
      }
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw truncated();
      }
      if (c == '\n') {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\r') {
          s.setLength(end - 1);
        }
        return s.toString();
      }
      if (s.length() >= MAX_LINE) {
        throw HttpError.badRequest("a line of the chunked body is longer than " + MAX_LINE);
      }
      s.append((char) c);
    }
  }

  private static HttpError truncated() {
    return HttpError.badRequest("the connection ended inside the chunked body");
  }
}
