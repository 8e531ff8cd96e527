package dev.promptedge.runtime.daemon.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a request line and header block within hard limits; anything malformed or too large is an
 * {@link HttpError} (400, 414, 431 or 505), never a partial head.
 */
final class HeadParser {

  static final int MAX_REQUEST_LINE = 8192;
  static final int MAX_HEADER_LINE = 8192;
  static final int MAX_HEADERS = 100;
  static final int MAX_HEADER_BYTES = 32768;
  private static final int MAX_LEADING_EMPTY_LINES = 4;

  private HeadParser() {}

  static RequestHead parse(SocketInput in) throws IOException {
    String line = null;
    for (int i = 0; i <= MAX_LEADING_EMPTY_LINES && (line == null || line.isEmpty()); i++) {
      line = readLine(in, MAX_REQUEST_LINE, true);
    }
    if (line == null || line.isEmpty()) {
      throw HttpError.badRequest("the request line is missing");
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3 || !isToken(parts[0]) || parts[1].isEmpty()) {
      throw HttpError.badRequest(
          "the request line is not 'METHOD /path HTTP/1.1': '" + printable(line) + "'");
    }
    boolean http10;
    if (parts[2].equals("HTTP/1.1")) {
      http10 = false;
    } else if (parts[2].equals("HTTP/1.0")) {
      http10 = true;
    } else if (parts[2].matches("HTTP/[0-9]\\.[0-9]")) {
      throw new HttpError(
          505, "http_version_not_supported", parts[2] + " is not served: use HTTP/1.1");
    } else {
      throw HttpError.badRequest("'" + printable(parts[2]) + "' is not an HTTP version");
    }
    if (!parts[1].startsWith("/")) {
      throw HttpError.badRequest(
          "the request target must be a path starting with '/', got '" + printable(parts[1]) + "'");
    }
    List<RequestHead.Header> headers = new ArrayList<>();
    int bytes = 0;
    while (true) {
      String h = readLine(in, MAX_HEADER_LINE, false);
      if (h == null) {
        throw HttpError.badRequest("the connection ended inside the request headers");
      }
      if (h.isEmpty()) {
        break;
      }
      bytes += h.length() + 2;
      if (headers.size() >= MAX_HEADERS || bytes > MAX_HEADER_BYTES) {
        throw headersTooLarge();
      }
      headers.add(header(h));
    }
    if (!http10) {
      requireOneHost(headers);
    }
    return new RequestHead(parts[0], parts[1], http10, List.copyOf(headers));
  }

  /** RFC 9112 3.2: an HTTP/1.1 request without exactly one Host header is a 400. */
  private static void requireOneHost(List<RequestHead.Header> headers) throws HttpError {
    long hosts = headers.stream().filter(h -> h.name().equalsIgnoreCase("Host")).count();
    if (hosts != 1) {
      throw HttpError.badRequest(
          (hosts == 0
                  ? "the request has no Host header"
                  : "the request has " + hosts + " Host headers")
              + ": an HTTP/1.1 request needs exactly one (e.g. 'Host: 127.0.0.1')");
    }
  }

  private static RequestHead.Header header(String line) throws HttpError {
    if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
      throw HttpError.badRequest("folded header lines are not accepted");
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.substring(0, colon))) {
      throw HttpError.badRequest("malformed header line '" + printable(line) + "'");
    }
    String value = line.substring(colon + 1).strip();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7f) {
        throw HttpError.badRequest(
            "header " + line.substring(0, colon) + " holds a control character");
      }
    }
    return new RequestHead.Header(line.substring(0, colon), value);
  }

  /**
   * One line without its CRLF (a bare LF ends a line too), or null at end of stream before any
   * byte. Bytes are ISO-8859-1, as HTTP's header grammar has it.
   */
  private static String readLine(SocketInput in, int max, boolean requestLine) throws IOException {
    StringBuilder line = new StringBuilder(64);
    boolean any = false;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (!any) {
          return null;
        }
        throw HttpError.badRequest("the connection ended inside a request line or header");
      }
      any = true;
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() >= max) {
        throw requestLine
            ? new HttpError(
                414,
                "request_line_too_long",
                "the request line is longer than " + max + " bytes: send a shorter path or query")
            : headersTooLarge();
      }
      if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
        throw HttpError.badRequest("a bare CR inside a request line or header");
      }
      if (b == 0) {
        throw HttpError.badRequest("a NUL byte inside a request line or header");
      }
      line.append((char) b);
    }
  }

  private static HttpError headersTooLarge() {
    return new HttpError(
        431,
        "headers_too_large",
        "the request headers exceed "
            + MAX_HEADERS
            + " fields, "
            + MAX_HEADER_LINE
            + " bytes per field or "
            + MAX_HEADER_BYTES
            + " bytes in all: send fewer or shorter headers");
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} cut to 80 characters with control and non-ASCII characters as '?'. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
