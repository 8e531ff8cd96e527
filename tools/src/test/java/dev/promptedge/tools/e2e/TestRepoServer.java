package dev.promptedge.tools.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that serves a repository directory and can misbehave per path:
 * endless bodies, bodies longer than the file, bytes trickled slowly.
 */
final class TestRepoServer implements AutoCloseable {

  enum Behavior {
    NORMAL,
    ENDLESS,
    LONGER,
    TRICKLE
  }

  private final Path root;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

  TestRepoServer(Path root) throws IOException {
    this.root = root;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  void misbehave(String path, Behavior behavior) {
    behaviors.put(path, behavior);
  }

  void behave() {
    behaviors.clear();
  }

  /** Requests seen for {@code path}. */
  int requests(String path) {
    return requests.getOrDefault(path, new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath().substring(1);
      requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Path file = root.resolve(path).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] bytes = Files.readAllBytes(file);
      Behavior behavior = behaviors.getOrDefault(path, Behavior.NORMAL);
      switch (behavior) {
        case NORMAL -> {
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
        }
        case LONGER -> {
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          out.write(bytes);
          out.write(new byte[1 << 16]);
        }
        case ENDLESS -> {
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          byte[] chunk = new byte[8192];
          while (true) {
            out.write(chunk);
          }
        }
        case TRICKLE -> {
          exchange.sendResponseHeaders(200, bytes.length);
          OutputStream out = exchange.getResponseBody();
          for (byte b : bytes) {
            out.write(b);
            out.flush();
            Thread.sleep(100);
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // The client hung up (as it should on a misbehaving body) or the server is stopping.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
