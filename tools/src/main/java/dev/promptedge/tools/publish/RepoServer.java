package dev.promptedge.tools.publish;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves an update repository's files over HTTP on loopback, for tests and demos (production uses
 * any static HTTP server or CDN). Dot-files (the publisher's private state) are never served. Owns
 * a socket and threads until closed.
 */
public final class RepoServer implements AutoCloseable {

  private final Path root;
  private final HttpServer server;
  private final ExecutorService threads;
  private boolean closed;

  private RepoServer(Path root, HttpServer server, ExecutorService threads) {
    this.root = root;
    this.server = server;
    this.threads = threads;
  }

  /** Starts serving {@code dir} on 127.0.0.1:{@code port} (0 picks a free port). */
  public static RepoServer start(Path dir, int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    RepoServer repo = new RepoServer(dir.toAbsolutePath().normalize(), server, threads);
    server.createContext("/", repo::handle);
    server.setExecutor(threads);
    server.start();
    return repo;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The repository's base URL, e.g. {@code http://127.0.0.1:8471/}. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Path file = root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
      boolean hidden = path.contains("/.");
      if (!"GET".equals(exchange.getRequestMethod())
          || hidden
          || !file.startsWith(root)
          || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops serving. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    threads.shutdownNow();
  }
}
