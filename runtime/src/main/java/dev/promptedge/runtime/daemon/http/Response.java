package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The answer to one {@link Request}: headers, then exactly one of {@link #send}, {@link #sendEmpty}
 * or {@link #stream}. Owned by the connection; used by the handler's thread only.
 */
public final class Response {

  private final Connection connection;
  private final boolean head;
  private final boolean http10;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private boolean committed;
  private boolean keepAlive;
  private EventStream stream;

  Response(Connection connection, boolean head, boolean http10) {
    this.connection = connection;
    this.head = head;
    this.http10 = http10;
  }

  /** Sets header {@code name} of the answer, replacing an earlier value. */
  public Response header(String name, String value) {
    if (name.isEmpty() || (name + value).chars().anyMatch(c -> c == '\r' || c == '\n')) {
      throw new IllegalArgumentException("a response header may not hold CR or LF: " + name);
    }
    headers.put(name.toLowerCase(Locale.ROOT), name + ": " + value);
    return this;
  }

  /** Answers {@code status} with {@code body} (empty allowed) of {@code contentType}. */
  public void send(int status, String contentType, byte[] body) throws IOException {
    header("Content-Type", contentType);
    boolean noBody = status == 204 || status == 304 || status < 200;
    if (!noBody) {
      header("Content-Length", Integer.toString(body.length));
    }
    OutputStream out = commit(status);
    if (!noBody && !head) {
      out.write(body);
    }
    out.flush();
    connection.responseWritten();
  }

  /** Answers {@code status} without a body, e.g. 204. */
  public void sendEmpty(int status) throws IOException {
    if (status != 204 && status != 304) {
      header("Content-Length", "0");
    }
    commit(status).flush();
    connection.responseWritten();
  }

  /**
   * Starts a streaming answer of {@code contentType} (chunked, no {@code Content-Length}, never
   * subject to the response timeout) and returns its writer. The handler then returns; the
   * connection's thread writes what is sent to the stream, one flush per event, until the stream is
   * closed. At most {@code maxQueuedBytes} may wait unsent: a send beyond that ends the stream (the
   * client is too slow) and closes the connection. The connection closes after the stream.
   */
  public EventStream stream(int status, String contentType, int maxQueuedBytes) throws IOException {
    header("Content-Type", contentType);
    header("Cache-Control", "no-store");
    if (!http10) {
      header("Transfer-Encoding", "chunked");
    }
    connection.keepAliveOff();
    commit(status).flush();
    stream = new EventStream(connection, maxQueuedBytes, !http10);
    return stream;
  }

  /** Whether the status line was written. */
  public boolean committed() {
    return committed;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  EventStream streamOrNull() {
    return stream;
  }

  private OutputStream commit(int status) throws IOException {
    if (committed) {
      throw new IllegalStateException("the response was sent already");
    }
    committed = true;
    keepAlive = connection.beforeCommit();
    if (!keepAlive) {
      header("Connection", "close");
    } else if (http10) {
      header("Connection", "keep-alive");
    }
    StringBuilder h = new StringBuilder(256);
    h.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(status)
        .append(' ')
        .append(reason(status))
        .append("\r\nDate: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
        .append("\r\n");
    for (String line : headers.values()) {
      h.append(line).append("\r\n");
    }
    h.append("\r\n");
    OutputStream out = connection.output();
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    return out;
  }

  static String reason(int status) {
    switch (status) {
      case 100:
        return "Continue";
      case 200:
        return "OK";
      case 201:
        return "Created";
      case 204:
        return "No Content";
      case 304:
        return "Not Modified";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 409:
        return "Conflict";
      case 411:
        return "Length Required";
      case 413:
        return "Content Too Large";
      case 414:
        return "URI Too Long";
      case 422:
        return "Unprocessable Content";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 501:
        return "Not Implemented";
      case 503:
        return "Service Unavailable";
      case 505:
        return "HTTP Version Not Supported";
      case 507:
        return "Insufficient Storage";
      default:
        return "Status";
    }
  }
}
