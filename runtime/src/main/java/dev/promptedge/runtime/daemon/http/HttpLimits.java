package dev.promptedge.runtime.daemon.http;

import java.time.Duration;

/**
 * How long and how many for {@link HttpServer}: a request (line, headers, body) must arrive within
 * {@code requestTimeout} of its first byte; its answer must be written within {@code
 * responseTimeout} of the request's end (streams are exempt, each of their writes gets that long);
 * a connection that sends nothing, or sits idle between kept-alive requests, is closed after {@code
 * idleTimeout}. Connections beyond {@code maxConnections} get a 503, those beyond {@code
 * maxConnectionsPerClient} from one address a 429, and are closed.
 *
 * @param maxConnections open connections at most, one thread each
 * @param maxConnectionsPerClient open connections at most from one client address
 * @param requestTimeout time to send a whole request once it started
 * @param responseTimeout time from the end of a request until its answer is written
 * @param idleTimeout time a connection may stay open without a request
 */
public record HttpLimits(
    int maxConnections,
    int maxConnectionsPerClient,
    Duration requestTimeout,
    Duration responseTimeout,
    Duration idleTimeout) {

  /** Checks that the caps are at least 1 and the timeouts positive. */
  public HttpLimits {
    if (maxConnections < 1
        || maxConnectionsPerClient < 1
        || requestTimeout.isNegative()
        || requestTimeout.isZero()
        || responseTimeout.isNegative()
        || responseTimeout.isZero()
        || idleTimeout.isNegative()
        || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "connection caps must be at least 1 and timeouts positive, got " + this);
    }
  }
}
