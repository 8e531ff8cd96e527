package dev.promptedge.runtime.daemon.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed request line and header block.
 *
 * @param method the method token, e.g. {@code GET}
 * @param target the request target as sent (origin form, {@code /path?query})
 * @param http10 whether the client speaks HTTP/1.0 (else 1.1)
 * @param headers the header fields in arrival order, names as sent
 */
record RequestHead(String method, String target, boolean http10, List<Header> headers) {

  /** One header field; the value without surrounding whitespace. */
  record Header(String name, String value) {}

  /** The first value of header {@code name} (case-insensitive). */
  Optional<String> first(String name) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** Whether a {@code Connection} header lists {@code token} (case-insensitive). */
  boolean connectionHas(String token) {
    for (Header h : headers) {
      if (h.name().equalsIgnoreCase("Connection")) {
        for (String t : h.value().split(",")) {
          if (t.trim().equalsIgnoreCase(token)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether the client lets the connection live on after this request. */
  boolean keepAlive() {
    return http10 ? connectionHas("keep-alive") : !connectionHas("close");
  }

  /** Whether the client waits for {@code 100 Continue} before it sends the body. */
  boolean expectsContinue() {
    return !http10
        && first("Expect")
            .map(v -> v.toLowerCase(Locale.ROOT).equals("100-continue"))
            .orElse(false);
  }
}
