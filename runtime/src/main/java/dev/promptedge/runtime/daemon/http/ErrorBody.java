package dev.promptedge.runtime.daemon.http;

/**
 * Renders the body of an error the server answers by itself (malformed request, connection cap,
 * timeout), so that those errors have the same shape as the handler's own. Called from connection
 * threads, so implementations must be thread-safe.
 */
@FunctionalInterface
public interface ErrorBody {

  /** The JSON body for {@code status} with a stable {@code code} and one sentence. */
  byte[] json(int status, String code, String message);
}
