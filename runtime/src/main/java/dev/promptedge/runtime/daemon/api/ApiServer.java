package dev.promptedge.runtime.daemon.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's local HTTP API on the JDK's {@code com.sun.net.httpserver}: {@code POST /v1/infer},
 * {@code GET /v1/tasks}, {@code PUT /v1/tasks/active}, {@code POST /v1/bundles}, {@code DELETE
 * /v1/bundles/NAME}, {@code GET /v1/health}, {@code GET /metrics}. Owns its socket and handler
 * threads; {@link #close()} stops it (idempotent).
 */
public final class ApiServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger inFlight;
  private boolean closed;

  private ApiServer(HttpServer server, ExecutorService executor, AtomicInteger inFlight) {
    this.server = server;
    this.executor = executor;
    this.inFlight = inFlight;
  }

  /** Stack of a handler thread: handlers are shallow, and there may be one per connection. */
  private static final long HANDLER_STACK_BYTES = 512 << 10;

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving within {@code limits}, with
   * up to one handler thread per open connection (the JDK server reads a request on the handler
   * thread, so a stalled client holds one; the cap and the request timeout bound them).
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static ApiServer start(InetSocketAddress address, ServerLimits limits, ApiServices api) {
    limits.applyToJdkServer();
    int threads = limits.maxConnections() + 1;
    HttpServer server;
    try {
      server = HttpServer.create(address, 128);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + address
              + " (api.bind_address / api.port): "
              + e.getMessage()
              + "; pick a free port or stop what holds it",
          e);
    }
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t =
                  new Thread(
                      null, r, "promptedged-http-" + count.incrementAndGet(), HANDLER_STACK_BYTES);
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    AtomicInteger inFlight = new AtomicInteger();
    server.createContext("/v1/infer", new InferEndpoint(api, inFlight));
    server.createContext("/v1/tasks", new TasksEndpoint(api, inFlight));
    server.createContext("/v1/bundles", new BundlesEndpoint(api, inFlight));
    server.createContext("/", new StatusEndpoint(api, inFlight));
    server.start();
    return new ApiServer(server, executor, inFlight);
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * Gives exchanges in progress up to {@code graceSeconds} to finish, then stops accepting
   * connections and stops the handler threads. Idempotent.
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
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(0);
  }
}
