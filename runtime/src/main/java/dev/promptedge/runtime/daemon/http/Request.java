package dev.promptedge.runtime.daemon.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One request as a {@link Handler} sees it: method, path, query, headers and a body stream that
 * ends at the body's end. Owned by the connection; valid while the handler runs.
 */
public final class Request {

  private final RequestHead head;
  private final String path;
  private final String rawQuery;
  private final BodyInput body;
  private final InetSocketAddress client;

  Request(
      RequestHead head, String path, String rawQuery, BodyInput body, InetSocketAddress client) {
    this.head = head;
    this.path = path;
    this.rawQuery = rawQuery;
    this.body = body;
    this.client = client;
  }

  /** The method, e.g. {@code GET}, case as sent. */
  public String method() {
    return head.method();
  }

  /** The request target exactly as sent, e.g. {@code /v1/infer?task=a}. */
  public String target() {
    return head.target();
  }

  /** The path, percent-decoded. */
  public String path() {
    return path;
  }

  /** The query as sent (not decoded), or empty when there is none. */
  public String rawQuery() {
    return rawQuery;
  }

  /** The first value of header {@code name} (case-insensitive). */
  public Optional<String> header(String name) {
    return head.first(name);
  }

  /**
   * The body, from a {@code Content-Length} or chunked transfer coding; empty when there is none. A
   * malformed or too slow body fails the read with an {@link java.io.IOException} and the server
   * answers the error itself when the handler does not.
   */
  public InputStream body() {
    return body;
  }

  /** The {@code Content-Length} the client declared, or -1 (chunked, or none). */
  public long declaredLength() {
    return head.first("Content-Length").map(v -> Long.parseLong(v.trim())).orElse(-1L);
  }

  /** The client's address. */
  public InetSocketAddress client() {
    return client;
  }
}
