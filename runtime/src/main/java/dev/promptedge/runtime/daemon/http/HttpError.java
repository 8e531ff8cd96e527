package dev.promptedge.runtime.daemon.http;

import java.io.IOException;

/**
 * A request the server itself refuses before or while a handler reads it (malformed, too large, too
 * slow): answered as an error body with {@code status} and {@code code}, then the connection is
 * closed. An {@link IOException} so that a handler reading the body sees it as a failed read.
 */
final class HttpError extends IOException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;

  HttpError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "bad_request", message);
  }
}
