package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A real {@link HttpServer} on loopback with a few test routes: {@code /health}, {@code /echo}
 * (answers the body it read), {@code /slow?MILLIS} (answers after a pause), {@code /stream} (hands
 * its {@link EventStream} to the test).
 */
final class TestServer implements AutoCloseable {

  static final String JSON = "application/json; charset=utf-8";

  final HttpServer server;
  final BlockingQueue<EventStream> streams = new LinkedBlockingQueue<>();

  TestServer(HttpLimits limits) throws IOException {
    server =
        HttpServer.start(
            new InetSocketAddress("127.0.0.1", 0), limits, this::handle, TestServer::error);
  }

  static HttpLimits limits(int max, int perClient, Duration request, Duration idle) {
    return new HttpLimits(max, perClient, request, Duration.ofSeconds(2), idle);
  }

  InetSocketAddress address() {
    return server.address();
  }

  String base() {
    return "http://127.0.0.1:" + address().getPort();
  }

  private void handle(Request request, Response response) throws IOException {
    switch (request.path()) {
      case "/health":
        response.send(200, JSON, "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8));
        break;
      case "/echo":
        byte[] body = request.body().readAllBytes();
        response.header("X-Query", request.rawQuery());
        response.send(200, "application/octet-stream", body);
        break;
      case "/slow":
        try {
          Thread.sleep(Long.parseLong(request.rawQuery()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        response.send(200, JSON, "{}".getBytes(StandardCharsets.UTF_8));
        break;
      case "/stream":
        int limit = Integer.parseInt(request.rawQuery().isEmpty() ? "65536" : request.rawQuery());
        streams.add(response.stream(200, "text/event-stream", limit));
        break;
      default:
        response.send(404, JSON, error(404, "not_found", "no " + request.path()));
    }
  }

  static byte[] error(int status, String code, String message) {
    return ("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.close();
  }
}
