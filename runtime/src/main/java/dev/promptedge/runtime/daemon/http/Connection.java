package dev.promptedge.runtime.daemon.http;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One accepted connection, served on its own thread: requests one after the other (keep-alive),
 * each read within the request timeout, answered within the response timeout (the server's watchdog
 * closes the socket otherwise), and the connection closed after the idle timeout.
 */
final class Connection implements Runnable {

  /** What is left of an unread request body that is read and dropped to keep the connection. */
  private static final long DRAIN_LIMIT = 1 << 20;

  private final HttpServer server;
  private final Socket socket;
  private final InetAddress client;
  private final HttpLimits limits;
  private final SocketInput in;
  private final OutputStream out;
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile EventStream stream;
  private volatile boolean aborted;
  private BodyInput body;
  private boolean keepAlive;

  Connection(HttpServer server, Socket socket, InetAddress client) throws IOException {
    this.server = server;
    this.socket = socket;
    this.client = client;
    this.limits = server.limits();
    this.in = new SocketInput(socket);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
  }

  @Override
  public void run() {
    try {
      serve();
      if (!aborted) {
        lingerClose(socket, 100, 1000);
      }
    } catch (IOException | RuntimeException e) {
      // The client went away, or the socket was closed by a timeout or the server's close.
    } finally {
      abort();
      server.closed(this);
    }
  }

  private void serve() throws IOException {
    long idleMillis = limits.idleTimeout().toMillis();
    do {
      deadlineNanos = Long.MAX_VALUE;
      in.deadline(Long.MAX_VALUE, "");
      if (!in.awaitRequest(idleMillis)) {
        return;
      }
      long requestDeadline = System.nanoTime() + limits.requestTimeout().toNanos();
      in.deadline(
          requestDeadline,
          "the request was not sent within "
              + limits.requestTimeout().toSeconds()
              + " s (api.request_timeout_seconds)");
      deadlineNanos = requestDeadline + limits.responseTimeout().toNanos();
      Exchange exchange;
      try {
        exchange = exchange(HeadParser.parse(in));
      } catch (HttpError e) {
        refuse(e);
        return;
      }
      if (!serve(exchange)) {
        return;
      }
    } while (keepAlive && !server.isClosing());
  }

  private record Exchange(Request request, Response response) {}

  private Exchange exchange(RequestHead head) throws IOException {
    URI uri;
    try {
      uri = new URI(head.target());
    } catch (URISyntaxException e) {
      throw HttpError.badRequest(
          "the request target '" + HeadParser.printable(head.target()) + "' is not a valid URI");
    }
    if (uri.getRawAuthority() != null || uri.getPath() == null || uri.getPath().isEmpty()) {
      throw HttpError.badRequest("the request target must be a path starting with '/'");
    }
    keepAlive = head.keepAlive();
    body = body(head);
    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    return new Exchange(
        new Request(head, uri.getPath(), query, body, remote),
        new Response(this, head.method().equals("HEAD"), head.http10()));
  }

  private BodyInput body(RequestHead head) throws HttpError {
    boolean hasTransferEncoding = head.first("Transfer-Encoding").isPresent();
    long length = -1;
    for (RequestHead.Header h : head.headers()) {
      if (h.name().equalsIgnoreCase("Content-Length")) {
        long value = contentLength(h.value());
        if (length >= 0 && value != length) {
          throw HttpError.badRequest("the request has two different Content-Length headers");
        }
        length = value;
      }
    }
    if (hasTransferEncoding && length >= 0) {
      throw HttpError.badRequest(
          "the request has both Transfer-Encoding and Content-Length: send one of them");
    }
    BodyInput.BeforeRead sendContinue = head.expectsContinue() ? this::sendContinue : null;
    if (hasTransferEncoding) {
      String codings = String.join(",", transferCodings(head)).toLowerCase(Locale.ROOT).strip();
      if (!codings.equals("chunked")) {
        throw new HttpError(
            501,
            "not_implemented",
            "Transfer-Encoding '"
                + HeadParser.printable(codings)
                + "' is not supported: send Content-Length or chunked");
      }
      return BodyInput.chunked(in, sendContinue);
    }
    return BodyInput.fixed(in, Math.max(0, length), length > 0 ? sendContinue : null);
  }

  private static List<String> transferCodings(RequestHead head) {
    return head.headers().stream()
        .filter(h -> h.name().equalsIgnoreCase("Transfer-Encoding"))
        .flatMap(h -> Arrays.stream(h.value().split(",")))
        .map(String::strip)
        .toList();
  }

  private static long contentLength(String value) throws HttpError {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      throw HttpError.badRequest(
          "Content-Length '" + HeadParser.printable(value) + "' is not a number");
    }
    return Long.parseLong(value);
  }

  /** Runs the handler on one exchange: true when the connection may serve another request. */
  private boolean serve(Exchange exchange) throws IOException {
    Response response = exchange.response();
    if (exchange.request().declaredLength() <= 0
        && !exchange.request().header("Transfer-Encoding").isPresent()) {
      deadlineNanos = System.nanoTime() + limits.responseTimeout().toNanos();
    }
    try {
      server.handler().handle(exchange.request(), response);
    } catch (IOException e) {
      if (!(e instanceof HttpError) || response.committed()) {
        return false;
      }
    } catch (RuntimeException e) {
      if (!response.committed()) {
        refuse(new HttpError(500, "internal", "the server failed: " + e));
      }
      return false;
    }
    if (!response.committed()) {
      IOException failure = body.failure();
      if (failure instanceof HttpError) {
        refuse((HttpError) failure);
      } else if (failure == null) {
        refuse(new HttpError(500, "internal", "the handler gave no answer"));
      }
      return false;
    }
    EventStream events = response.streamOrNull();
    if (events != null) {
      stream = events;
      deadlineNanos = Long.MAX_VALUE;
      if (aborted) {
        events.gone();
      }
      events.pump(out);
      return false;
    }
    return response.keepAlive();
  }

  /** Decides, as the answer is committed, whether the connection lives on after it. */
  boolean beforeCommit() {
    if (!keepAlive || server.isClosing()) {
      return false;
    }
    if (!body.drain(DRAIN_LIMIT)) {
      keepAlive = false;
    }
    return keepAlive;
  }

  void keepAliveOff() {
    keepAlive = false;
  }

  OutputStream output() {
    return out;
  }

  void responseWritten() {
    deadlineNanos = Long.MAX_VALUE;
  }

  /** A streamed write starts: it must end within the response timeout. */
  void writing() {
    deadlineNanos = System.nanoTime() + limits.responseTimeout().toNanos();
  }

  void notWriting() {
    deadlineNanos = Long.MAX_VALUE;
  }

  private void sendContinue() throws IOException {
    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Answers an error of the server's own and closes the connection once the client got it. */
  private void refuse(HttpError e) {
    try {
      Response response = new Response(this, false, false);
      keepAlive = false;
      if (e.status() == 429 || e.status() == 503) {
        response.header("Retry-After", "1");
      }
      response.send(
          e.status(),
          "application/json; charset=utf-8",
          server.errors().json(e.status(), e.code(), e.getMessage()));
      lingerClose(socket, 250, 500);
    } catch (IOException | RuntimeException ignored) {
      // The client is gone.
    }
  }

  /**
   * Half-closes {@code s} and reads what the client still sends until it is quiet for {@code
   * quietMillis} (at most {@code maxMillis}), so that it reads the answer before the close (closing
   * with unread input would reset the connection).
   */
  static void lingerClose(Socket s, int quietMillis, int maxMillis) throws IOException {
    s.shutdownOutput();
    s.setSoTimeout(quietMillis);
    byte[] sink = new byte[8192];
    long end = System.nanoTime() + maxMillis * 1_000_000L;
    int total = 0;
    try {
      int n;
      while (total < (1 << 16)
          && System.nanoTime() < end
          && (n = s.getInputStream().read(sink)) > 0) {
        total += n;
      }
    } catch (IOException ignored) {
      // Timeout or reset: done either way.
    }
    s.close();
  }

  InetAddress client() {
    return client;
  }

  /** Whether the watchdog should close this connection now. */
  boolean overdue(long now) {
    return now - deadlineNanos > 0 && deadlineNanos != Long.MAX_VALUE;
  }

  /** Closes the socket (idempotent); blocked reads and writes fail, a stream ends. */
  void abort() {
    aborted = true;
    EventStream s = stream;
    if (s != null) {
      s.gone();
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }
}
