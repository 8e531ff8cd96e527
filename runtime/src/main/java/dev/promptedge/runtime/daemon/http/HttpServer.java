package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server: one thread per open connection, at most {@link
 * HttpLimits#maxConnections()} of them; request, response and idle timeouts enforced by a watchdog;
 * TCP_NODELAY on (off only with {@code -Dpromptedge.http.nodelay=false}, for measuring). What it
 * refuses by itself (malformed requests, caps, timeouts) is answered with a body from its {@link
 * ErrorBody}, and the connection closed. Owns its socket and threads.
 *
 * <pre>{@code
 * try (HttpServer server = HttpServer.start(address, limits, handler, errors)) { ... }
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {

  /** Stack of a connection thread: handlers are shallow, and there is one per connection. */
  private static final long THREAD_STACK_BYTES = 512 << 10;

  private static final long WATCHDOG_MILLIS = 100;

  private final ServerSocket listener;
  private final HttpLimits limits;
  private final Handler handler;
  private final ErrorBody errors;
  private final ConnectionCaps caps;
  private final boolean noDelay;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watchdog;
  private final ThreadPoolExecutor refusals;
  private final AtomicInteger threadCount = new AtomicInteger();
  private final Thread acceptor;
  private volatile boolean closing;

  private HttpServer(ServerSocket listener, HttpLimits limits, Handler handler, ErrorBody errors) {
    this.listener = listener;
    this.limits = limits;
    this.handler = handler;
    this.errors = errors;
    this.caps = new ConnectionCaps(limits.maxConnections(), limits.maxConnectionsPerClient());
    this.noDelay = !"false".equals(System.getProperty("promptedge.http.nodelay"));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "promptedged-http-watchdog"));
    // Refusals are written off the accept thread: a handful at a time, the rest just closed.
    this.refusals =
        new ThreadPoolExecutor(
            4,
            4,
            5,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            r -> daemon(r, "promptedged-http-refusal"));
    this.refusals.allowCoreThreadTimeOut(true);
    this.acceptor = daemon(this::acceptLoop, "promptedged-http-accept");
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving {@code handler}.
   *
   * @throws IOException when the address cannot be bound
   */
  public static HttpServer start(
      InetSocketAddress address, HttpLimits limits, Handler handler, ErrorBody errors)
      throws IOException {
    ServerSocket listener = new ServerSocket();
    try {
      listener.setReuseAddress(true);
      listener.bind(address, 128);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    HttpServer server = new HttpServer(listener, limits, handler, errors);
    server.watchdog.scheduleWithFixedDelay(
        server::checkDeadlines, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
    server.acceptor.start();
    return server;
  }

  /** The bound address, with the actual port. */
  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  /** Connections open now. */
  public int openConnections() {
    return caps.open();
  }

  private void acceptLoop() {
    while (!closing) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (SocketException e) {
        return; // closed
      } catch (IOException e) {
        continue;
      }
      InetAddress client = socket.getInetAddress();
      HttpError refused = closing ? null : caps.tryAcquire(client);
      if (closing) {
        quietClose(socket);
      } else if (refused != null) {
        refuse(socket, refused);
      } else {
        open(socket, client);
      }
    }
  }

  private void open(Socket socket, InetAddress client) {
    Connection connection;
    try {
      socket.setTcpNoDelay(noDelay);
      connection = new Connection(this, socket, client);
    } catch (IOException e) {
      caps.release(client);
      quietClose(socket);
      return;
    }
    connections.add(connection);
    try {
      Thread t =
          new Thread(
              null,
              connection,
              "promptedged-http-" + threadCount.incrementAndGet(),
              THREAD_STACK_BYTES);
      t.setDaemon(true);
      t.start();
    } catch (OutOfMemoryError | RuntimeException e) {
      connection.abort();
      closed(connection);
    }
    if (closing) {
      connection.abort();
    }
  }

  private void refuse(Socket socket, HttpError e) {
    try {
      refusals.execute(
          () -> {
            try {
              socket.setTcpNoDelay(true);
              String head =
                  "HTTP/1.1 "
                      + e.status()
                      + " "
                      + Response.reason(e.status())
                      + "\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\n"
                      + "Connection: close\r\nContent-Length: ";
              byte[] body = errors.json(e.status(), e.code(), e.getMessage());
              socket.setSoTimeout(1000);
              socket.getOutputStream().write(HeadParser.ascii(head + body.length + "\r\n\r\n"));
              socket.getOutputStream().write(body);
              socket.getOutputStream().flush();
              Connection.lingerClose(socket, 25, 200);
            } catch (IOException | RuntimeException ignored) {
              quietClose(socket);
            }
          });
    } catch (RejectedExecutionException full) {
      quietClose(socket);
    }
  }

  private void checkDeadlines() {
    long now = System.nanoTime();
    for (Connection c : connections) {
      if (c.overdue(now)) {
        c.abort();
      }
    }
  }

  /** Called by a connection's thread as it ends. */
  void closed(Connection connection) {
    if (connections.remove(connection)) {
      caps.release(connection.client());
    }
  }

  HttpLimits limits() {
    return limits;
  }

  Handler handler() {
    return handler;
  }

  ErrorBody errors() {
    return errors;
  }

  boolean isClosing() {
    return closing;
  }

  /**
   * Stops accepting, closes every connection (exchanges in progress fail, streams end) and stops
   * the server's threads. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    quietClose(listener);
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : connections) {
      c.abort();
    }
    watchdog.shutdownNow();
    refusals.shutdownNow();
  }

  private static void quietClose(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing anyway.
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
