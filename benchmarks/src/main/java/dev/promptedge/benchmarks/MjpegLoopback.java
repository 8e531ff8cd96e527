package dev.promptedge.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A camera on loopback: {@code multipart/x-mixed-replace} streams of one JPEG frame. {@code
 * /steady/NAME/FPS} paces frames and records when each left (by stream name and 1-based frame
 * number), {@code /flood} writes frames as fast as the reader takes them, {@code /stall} writes
 * half a frame and then nothing.
 */
final class MjpegLoopback implements AutoCloseable {

  private static final String BOUNDARY = "frame";

  private final HttpServer server;
  private final byte[] jpeg;
  private final Map<String, Map<Long, Long>> sentNanos = new ConcurrentHashMap<>();
  private volatile boolean closed;

  MjpegLoopback(byte[] jpeg) throws IOException {
    this.jpeg = jpeg;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> daemon(r)));
    server.createContext("/steady/", this::steady);
    server.createContext("/paced/", this::paced);
    server.createContext("/stall", this::stall);
    server.start();
  }

  /** The url of a stream path such as {@code /steady/door/15}. */
  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** When frame {@code number} of the newest steady stream {@code name} was written, or null. */
  Long sentNanos(String name, long number) {
    Map<Long, Long> sent = sentNanos.get(name);
    return sent == null ? null : sent.get(number);
  }

  private void steady(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/");
    double fps = Double.parseDouble(parts[3]);
    long period = (long) (1e9 / fps);
    Map<Long, Long> sent = new ConcurrentHashMap<>();
    sentNanos.put(parts[2], sent);
    try (OutputStream out = begin(exchange)) {
      long next = System.nanoTime();
      for (long n = 1; !closed; n++) {
        LockSupport.parkNanos(next - System.nanoTime());
        sent.put(n, System.nanoTime());
        part(out);
        next += period;
      }
    } catch (IOException e) {
      // the source closed the stream
    }
  }

  private void paced(HttpExchange exchange) throws IOException {
    long period =
        (long) (1e9 / Double.parseDouble(exchange.getRequestURI().getPath().substring(7)));
    try (OutputStream out = begin(exchange)) {
      for (long next = System.nanoTime(); !closed; next += period) {
        LockSupport.parkNanos(next - System.nanoTime());
        part(out);
      }
    } catch (IOException e) {
      // the source closed the stream
    }
  }

  private void stall(HttpExchange exchange) throws IOException {
    try (OutputStream out = begin(exchange)) {
      out.write(header());
      out.write(jpeg, 0, jpeg.length / 2);
      out.flush();
      while (!closed) {
        LockSupport.parkNanos(100_000_000L);
      }
    } catch (IOException e) {
      // the source gave up on the stream
    }
  }

  private static OutputStream begin(HttpExchange exchange) throws IOException {
    exchange
        .getResponseHeaders()
        .set("Content-Type", "multipart/x-mixed-replace; boundary=" + BOUNDARY);
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private void part(OutputStream out) throws IOException {
    out.write(header());
    out.write(jpeg);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private byte[] header() {
    return ("--"
            + BOUNDARY
            + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
            + jpeg.length
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "mjpeg-loopback");
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
  }
}
