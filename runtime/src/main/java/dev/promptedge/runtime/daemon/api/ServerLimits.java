package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.http.HttpLimits;
import java.time.Duration;

/**
 * How long and how many: the HTTP server's connection caps and timeouts. A client that starts a
 * request must finish sending it (line, headers, body) within {@code requestTimeoutSeconds}, or its
 * connection is closed; the answer must be written within {@code responseTimeoutSeconds} of the
 * request's end (streamed answers are exempt); a connection that sends nothing, or sits idle
 * between kept-alive requests, is closed after {@code idleTimeoutSeconds}. Every open connection
 * has a thread, so stalled clients below the caps never make another client wait.
 *
 * @param maxConnections open connections at most; new ones beyond it get a 503 and are closed
 * @param maxConnectionsPerClient open connections at most from one client address; new ones beyond
 *     it get a 429 and are closed
 * @param requestTimeoutSeconds seconds to send a whole request once it started
 * @param responseTimeoutSeconds seconds from the end of a request until its answer is written
 * @param idleTimeoutSeconds seconds a connection may stay open without a request
 */
public record ServerLimits(
    int maxConnections,
    int maxConnectionsPerClient,
    int requestTimeoutSeconds,
    int responseTimeoutSeconds,
    int idleTimeoutSeconds) {

  /** Checks that every value is at least 1. */
  public ServerLimits {
    if (maxConnections < 1
        || maxConnectionsPerClient < 1
        || requestTimeoutSeconds < 1
        || responseTimeoutSeconds < 1
        || idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "api.max_connections, api.max_connections_per_client and the api.*_timeout_seconds"
              + " settings must be at least 1, got "
              + this);
    }
  }

  HttpLimits toHttpLimits() {
    return new HttpLimits(
        maxConnections,
        maxConnectionsPerClient,
        Duration.ofSeconds(requestTimeoutSeconds),
        Duration.ofSeconds(responseTimeoutSeconds),
        Duration.ofSeconds(idleTimeoutSeconds));
  }
}
