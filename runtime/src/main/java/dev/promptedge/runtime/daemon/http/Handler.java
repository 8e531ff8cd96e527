package dev.promptedge.runtime.daemon.http;

import java.io.IOException;

/**
 * Serves one request of {@link HttpServer}, on the connection's thread; may be called concurrently
 * for different connections. It answers through {@code response} exactly once; a handler that
 * returns without answering gets a 500 sent for it.
 */
@FunctionalInterface
public interface Handler {

  /** Answers {@code request}; an {@link IOException} means the client is gone. */
  void handle(Request request, Response response) throws IOException;
}
