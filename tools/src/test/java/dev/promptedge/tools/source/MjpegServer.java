package dev.promptedge.tools.source;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that answers every GET with what its script writes, usually a
 * multipart/x-mixed-replace MJPEG stream; each connection runs the script on its own thread.
 */
public final class MjpegServer implements AutoCloseable {
  static final String BOUNDARY = "frame";

  /** What one connection is sent; returning (or failing) closes the connection. */
  @FunctionalInterface
  interface Script {
    void serve(Connection connection) throws IOException, InterruptedException;
  }

  /** One accepted connection, the request already read. */
  static final class Connection {
    final int index;
    final String request;
    private final InputStream in;
    private final OutputStream out;

    Connection(int index, String request, InputStream in, OutputStream out) {
      this.index = index;
      this.request = request;
      this.in = in;
      this.out = out;
    }

    /** Sends nothing more and returns once the client closed the connection. */
    void stall() throws IOException {
      while (in.read() >= 0) {
        // a client sends nothing after its request
      }
    }

    /** The response head of an MJPEG stream. */
    void head() throws IOException {
      raw(
          "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary="
              + BOUNDARY
              + "\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n");
    }

    /** One part holding {@code body}, with a Content-Length header when told. */
    void part(byte[] body, boolean withLength) throws IOException {
      raw(
          "--"
              + BOUNDARY
              + "\r\nContent-Type: image/jpeg\r\n"
              + (withLength ? "Content-Length: " + body.length + "\r\n" : "")
              + "\r\n");
      out.write(body);
      raw("\r\n");
      out.flush();
    }

    void raw(String text) throws IOException {
      raw(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void raw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }
  }

  private final ServerSocket server;
  private final Script script;
  private final AtomicInteger accepted = new AtomicInteger();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;

  MjpegServer(Script script) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.script = script;
    this.acceptor = new Thread(this::accept, "mjpeg-server-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A server that streams {@code frames} in a loop, {@code gapMillis} apart, with lengths. */
  public static MjpegServer looping(byte[][] frames, long gapMillis) throws IOException {
    return new MjpegServer(
        c -> {
          c.head();
          for (int i = 0; ; i++) {
            c.part(frames[i % frames.length], true);
            if (gapMillis > 0) {
              Thread.sleep(gapMillis);
            }
          }
        });
  }

  /** The stream's URL on loopback. */
  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort() + "/stream.mjpg";
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Connections still open. */
  int open() {
    return open.size();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      int index = accepted.getAndIncrement();
      open.add(socket);
      Thread t = new Thread(() -> serve(socket, index), "mjpeg-conn-" + index);
      t.setDaemon(true);
      t.start();
    }
  }

  private void serve(Socket socket, int index) {
    try (socket) {
      InputStream in = socket.getInputStream();
      String request = readRequest(in);
      script.serve(
          new Connection(
              index, request, in, new BufferedOutputStream(socket.getOutputStream(), 65536)));
    } catch (IOException | InterruptedException e) {
      // the client went away or the script ended the connection
    } finally {
      open.remove(socket);
    }
  }

  private static String readRequest(InputStream in) throws IOException {
    StringBuilder text = new StringBuilder();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    for (int n = 0; matched < 4; n++) {
      int b = in.read();
      if (b < 0 || n > 16_384) {
        throw new IOException("no request");
      }
      text.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return text.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
  }
}
