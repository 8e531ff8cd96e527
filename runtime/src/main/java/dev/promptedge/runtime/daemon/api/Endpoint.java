package dev.promptedge.runtime.daemon.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.daemon.MemoryBudget;
import dev.promptedge.runtime.image.ImageDecodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the API's handlers: checks the bearer token, dispatches by method and turns every failure
 * into a 4xx/5xx {@code ApiError} so that no request can take the daemon down.
 */
abstract class Endpoint implements HttpHandler {

  final ApiServices api;
  private final AtomicInteger inFlight;

  Endpoint(ApiServices api, AtomicInteger inFlight) {
    this.api = api;
    this.inFlight = inFlight;
  }

  /**
   * Serves one authorized request; throws {@link ApiException} to refuse it. Memory the request
   * holds beyond a few KB (its body, its pixels) is grown in {@code memory} first, which is given
   * back once the answer is written.
   */
  abstract void serve(
      HttpExchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException;

  @Override
  public final void handle(HttpExchange exchange) {
    inFlight.incrementAndGet();
    try (MemoryBudget.Reservation memory = api.budget().reserve()) {
      try {
        authorize(exchange);
        serve(exchange, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), memory);
      } catch (ApiException e) {
        refuse(exchange, e);
      } catch (BundleException e) {
        refuse(exchange, ApiException.of(e));
      } catch (ImageDecodeException e) {
        refuse(exchange, ApiException.of(e));
      } catch (IllegalArgumentException e) {
        refuse(exchange, new ApiException(400, "bad_request", e.getMessage()));
      } catch (OutOfMemoryError e) {
        // Budgets should prevent this; if the heap still ran out, the client may retry.
        api.log().info("out of memory on " + exchange.getRequestURI() + ": " + e);
        refuse(
            exchange,
            new ApiException(
                503,
                "out_of_memory",
                "the daemon ran out of memory for this request: retry, or lower"
                    + " api.decode_budget_bytes"));
      } catch (RuntimeException e) {
        api.log().info("internal error on " + exchange.getRequestURI() + ": " + e);
        refuse(exchange, new ApiException(500, "internal", "the daemon failed: " + e));
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } finally {
      exchange.close();
      inFlight.decrementAndGet();
    }
  }

  private void refuse(HttpExchange exchange, ApiException e) throws IOException {
    api.metrics().apiError(e.code());
    if (e.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"promptedged\"");
    }
    if (e.status() == 429 || e.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    Exchanges.sendError(exchange, e);
  }

  private void authorize(HttpExchange exchange) {
    if (api.token().isEmpty()) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null
        || !MessageDigest.isEqual(
            bearerToken(header).getBytes(StandardCharsets.UTF_8),
            api.token().getBytes(StandardCharsets.UTF_8))) {
      throw new ApiException(
          401,
          "unauthorized",
          "send the daemon's token (api.token in its profile) as 'Authorization: Bearer TOKEN'");
    }
  }

  /**
   * The credentials of an {@code Authorization} header with the scheme {@code Bearer}, in any case
   * (RFC 9110: auth schemes are case-insensitive); empty for another scheme.
   */
  static String bearerToken(String header) {
    String value = header.trim();
    int space = value.indexOf(' ');
    if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Bearer")) {
      return "";
    }
    return value.substring(space + 1).trim();
  }

  static ApiException methodNotAllowed(String method, String path, String allowed) {
    return new ApiException(
        405, "method_not_allowed", method + " is not served on " + path + ": use " + allowed);
  }

  static ApiException notFound(String path) {
    return new ApiException(
        404,
        "not_found",
        "no endpoint "
            + path
            + ": the API serves /v1/infer, /v1/tasks, /v1/tasks/active, /v1/bundles,"
            + " /v1/health and /metrics");
  }
}
