package dev.promptedge.runtime.daemon.http;

import java.io.IOException;

/** A body of a {@code Content-Length}. */
final class FixedBody extends BodyInput {

  private long left;

  FixedBody(SocketInput in, long length, BodyInput.BeforeRead beforeFirstRead) {
    super(in, beforeFirstRead);
    this.left = length;
  }

  @Override
  int readBody(byte[] b, int off, int len) throws IOException {
    if (left == 0) {
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw HttpError.badRequest(
          "the connection ended " + left + " bytes before the end of the Content-Length body");
    }
    left -= n;
    return n;
  }
}
