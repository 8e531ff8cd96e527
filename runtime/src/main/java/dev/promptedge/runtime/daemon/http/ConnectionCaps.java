package dev.promptedge.runtime.daemon.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts open connections, in all and per client address, against the server's caps. */
final class ConnectionCaps {

  private final int maxTotal;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionCaps(int maxTotal, int maxPerClient) {
    this.maxTotal = maxTotal;
    this.maxPerClient = maxPerClient;
  }

  /** Counts a new connection from {@code client}, or returns the refusal when a cap is reached. */
  HttpError tryAcquire(InetAddress client) {
    if (total.incrementAndGet() > maxTotal) {
      total.decrementAndGet();
      return new HttpError(
          503,
          "too_many_connections",
          "the server has its "
              + maxTotal
              + " connections open (api.max_connections): retry after the Retry-After seconds");
    }
    boolean[] refused = {false};
    perClient.compute(
        client,
        (a, n) -> {
          int now = n == null ? 0 : n;
          if (now >= maxPerClient) {
            refused[0] = true;
            return n;
          }
          return now + 1;
        });
    if (refused[0]) {
      total.decrementAndGet();
      return new HttpError(
          429,
          "too_many_connections_from_client",
          "this client has "
              + maxPerClient
              + " connections open (api.max_connections_per_client): reuse one, or close some");
    }
    return null;
  }

  /** Forgets a connection {@link #tryAcquire} counted. */
  void release(InetAddress client) {
    perClient.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  int open() {
    return total.get();
  }
}
