package dev.promptedge.runtime.daemon.api;

import com.google.protobuf.Message;
import dev.promptedge.format.ApiError;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Reading requests and writing answers of the API, one place for bodies, formats and errors. */
final class Exchanges {

  static final String JSON = "application/json; charset=utf-8";
  static final String PROTOBUF = "application/x-protobuf";

  /** Bytes read and thrown away from a body that is over the cap, so the client gets its 413. */
  private static final long DRAIN_LIMIT = 16L << 20;

  private Exchanges() {}

  /**
   * The request body, refusing more than {@code maxBytes} with 413 (naming {@code setting}, the
   * limit's name); its bytes are grown in {@code memory} before they are read (503 when there is no
   * room in time).
   */
  static byte[] body(
      Exchange exchange, long maxBytes, String setting, MemoryBudget.Reservation memory)
      throws IOException {
    // The server refused a malformed Content-Length before the endpoint saw the request.
    long length = exchange.request().declaredLength();
    try (InputStream in = exchange.request().body()) {
      if (length > maxBytes) {
        drain(in);
        throw tooLarge(length, maxBytes, setting);
      }
      // The buffer and the copy toByteArray makes.
      long reserved = 2 * Math.max(0, length);
      if (!memory.tryGrow(reserved)) {
        throw busy(memory, reserved);
      }
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.max(0, Math.min(length, maxBytes)));
      byte[] buffer = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > maxBytes) {
          drain(in);
          throw tooLarge(total, maxBytes, setting);
        }
        // A body without Content-Length (chunked) grows its reservation as it arrives: the
        // growing buffer and its copy hold up to about three times what arrived; the reservation
        // stays within the two bodies of api.max_body_bytes the start-up check allowed for.
        long target = Math.min(4 * total, 2 * maxBytes);
        if (3 * total > reserved && target > reserved) {
          long more = target - reserved;
          if (!memory.tryGrow(more)) {
            throw busy(memory, more);
          }
          reserved += more;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[65536];
    long drained = 0;
    int n;
    while (drained < DRAIN_LIMIT && (n = in.read(buffer)) > 0) {
      drained += n;
    }
  }

  private static ApiException tooLarge(long length, long maxBytes, String setting) {
    return new ApiException(
        413,
        "body_too_large",
        "the request body is "
            + (length >= 0 ? length + " bytes" : "larger than the cap")
            + ", over the limit of "
            + maxBytes
            + " bytes ("
            + setting
            + "): send a smaller body");
  }

  /**
   * The 503 for a request that found no room for {@code bytes} more in the memory budget within its
   * wait (or that could never fit, which a profile checked at start rules out for images).
   */
  static ApiException busy(MemoryBudget.Reservation memory, long bytes) {
    return new ApiException(
        503,
        "busy",
        "the daemon is busy with other large requests: this one needs "
            + (bytes + memory.bytes())
            + " bytes of api.decode_budget_bytes, which stayed full for api.decode_wait_ms;"
            + " retry after the Retry-After seconds");
  }

  /** The value of query parameter {@code name}, URL-decoded. */
  static Optional<String> query(Exchange exchange, String name) {
    String query = exchange.request().rawQuery();
    if (query.isEmpty()) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
        return Optional.of(
            eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** Whether the client asked for binary protobuf. */
  static boolean wantsProtobuf(Exchange exchange) {
    String accept = exchange.header("Accept");
    return accept != null && accept.contains(PROTOBUF);
  }

  /** Answers {@code message} as JSON, or as binary protobuf when the client asked for it. */
  static void send(Exchange exchange, int status, Message message) throws IOException {
    if (wantsProtobuf(exchange)) {
      send(exchange, status, PROTOBUF, message.toByteArray());
    } else {
      sendJson(exchange, status, message);
    }
  }

  static void sendJson(Exchange exchange, int status, Message message) throws IOException {
    send(
        exchange, status, JSON, (ProtoJson.print(message) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static void send(Exchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.response().send(status, contentType, body);
  }

  /** Answers an {@code ApiError}, always as JSON. */
  static void sendError(Exchange exchange, ApiException e) throws IOException {
    exchange.response().send(e.status(), JSON, errorJson(e.code(), e.getMessage()));
  }

  /** The JSON body of an {@code ApiError}. */
  static byte[] errorJson(String code, String message) {
    ApiError error = ApiError.newBuilder().setCode(code).setMessage(message).build();
    return (ProtoJson.print(error) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
