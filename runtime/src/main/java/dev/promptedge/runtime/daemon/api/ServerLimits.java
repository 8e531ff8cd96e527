package dev.promptedge.runtime.daemon.api;

/**
 * How long and how many: the HTTP server's connection cap and timeouts. A client that starts a
 * request must finish sending it (line, headers, body) within {@code requestTimeoutSeconds}, or its
 * connection is closed; the answer must be written within {@code responseTimeoutSeconds} of the
 * request's end; a connection that sends nothing, or sits idle between kept-alive requests, is
 * closed after {@code idleTimeoutSeconds}. Every open connection can have a handler thread, so
 * stalled clients below the cap never make another client wait.
 *
 * @param maxConnections open connections at most; the server closes new ones beyond it at once
 * @param requestTimeoutSeconds seconds to send a whole request once it started
 * @param responseTimeoutSeconds seconds from the end of a request until its answer is written
 * @param idleTimeoutSeconds seconds a connection may stay open without a request
 */
public record ServerLimits(
    int maxConnections,
    int requestTimeoutSeconds,
    int responseTimeoutSeconds,
    int idleTimeoutSeconds) {

  /** Checks that every value is at least 1. */
  public ServerLimits {
    if (maxConnections < 1
        || requestTimeoutSeconds < 1
        || responseTimeoutSeconds < 1
        || idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException(
          "api.max_connections and the api.*_timeout_seconds settings must be at least 1, got "
              + this);
    }
  }

  /**
   * Sets the JDK server's system properties (read once per JVM, when its first server is created):
   * the timeouts, the connection cap, TCP_NODELAY (without it every kept-alive answer waits about
   * 40 ms for the client's delayed ACK; {@code -Dsun.net.httpserver.nodelay=false} keeps it off,
   * for measuring), and a 250 ms check of the request and response clocks.
   */
  void applyToJdkServer() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    System.setProperty("jdk.httpserver.maxConnections", Integer.toString(maxConnections));
    System.setProperty("sun.net.httpserver.maxIdleConnections", Integer.toString(maxConnections));
    System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(requestTimeoutSeconds));
    System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(responseTimeoutSeconds));
    System.setProperty("sun.net.httpserver.idleInterval", Integer.toString(idleTimeoutSeconds));
    System.setProperty("sun.net.httpserver.timerMillis", "250");
    System.setProperty("sun.net.httpserver.clockTick", "1000");
  }
}
