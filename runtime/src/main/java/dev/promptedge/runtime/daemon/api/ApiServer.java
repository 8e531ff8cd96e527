package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.http.Handler;
import dev.promptedge.runtime.daemon.http.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's local HTTP API on the runtime's own {@link HttpServer}: {@code POST /v1/infer},
 * {@code GET /v1/tasks}, {@code PUT /v1/tasks/active}, {@code POST /v1/bundles}, {@code DELETE
 * /v1/bundles/NAME}, {@code GET /v1/health}, {@code GET /metrics}, {@code GET /v1/events}, {@code
 * GET/PUT/DELETE /v1/sources[/NAME]}, {@code GET /v1/sources/NAME/snapshot.jpg}, and the dashboard
 * page at {@code /} with its files under {@code /dashboard/} (served without the token). Owns its
 * socket, connection threads and the events thread; {@link #close()} stops them (idempotent).
 */
public final class ApiServer implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger inFlight;
  private final EventClients events;
  private boolean closed;

  private ApiServer(HttpServer server, AtomicInteger inFlight, EventClients events) {
    this.server = server;
    this.inFlight = inFlight;
    this.events = events;
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving within {@code limits}: one
   * thread per open connection up to the cap; the server's own refusals (malformed requests, caps,
   * timeouts) are {@code ApiError}s like the endpoints'.
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static ApiServer start(InetSocketAddress address, ServerLimits limits, ApiServices api) {
    AtomicInteger inFlight = new AtomicInteger();
    Handler infer = new InferEndpoint(api, inFlight);
    Handler tasks = new TasksEndpoint(api, inFlight);
    Handler bundles = new BundlesEndpoint(api, inFlight);
    Handler status = new StatusEndpoint(api, inFlight);
    EventClients clients =
        new EventClients(
            api.sources().hub(),
            api.metrics(),
            api.maxEventClients(),
            EventsEndpoint.KEEP_ALIVE_MILLIS);
    Handler events = new EventsEndpoint(api, inFlight, clients);
    Handler sources = new SourcesEndpoint(api, inFlight);
    Handler snapshot = new SnapshotEndpoint(api, inFlight);
    Handler dashboard = new DashboardEndpoint(api, inFlight);
    Handler routes =
        (request, response) -> {
          String path = request.path();
          Handler endpoint;
          if (DashboardEndpoint.serves(path)) {
            endpoint = dashboard;
          } else if (path.startsWith("/v1/infer")) {
            endpoint = infer;
          } else if (path.startsWith("/v1/tasks")) {
            endpoint = tasks;
          } else if (path.startsWith("/v1/bundles")) {
            endpoint = bundles;
          } else if (path.startsWith("/v1/events")) {
            endpoint = events;
          } else if (SnapshotEndpoint.matches(path)) {
            endpoint = snapshot;
          } else if (path.startsWith(SourcesEndpoint.PREFIX)) {
            endpoint = sources;
          } else {
            endpoint = status;
          }
          endpoint.handle(request, response);
        };
    try {
      HttpServer server =
          HttpServer.start(
              address,
              limits.toHttpLimits(),
              routes,
              (httpStatus, code, message) -> {
                api.metrics().apiError(code);
                return Exchanges.errorJson(code, message);
              });
      return new ApiServer(server, inFlight, clients);
    } catch (IOException e) {
      clients.close();
      throw new UncheckedIOException(
          "cannot listen on "
              + address
              + " (api.bind_address / api.port): "
              + e.getMessage()
              + "; pick a free port or stop what holds it",
          e);
    }
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress address() {
    return server.address();
  }

  /**
   * Gives exchanges in progress up to {@code graceSeconds} to finish, then stops accepting
   * connections and closes the open ones. Idempotent.
   */
  public synchronized void close(int graceSeconds) {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    events.close();
    server.close();
  }

  @Override
  public void close() {
    close(0);
  }
}
