package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.daemon.http.Handler;
import dev.promptedge.runtime.daemon.http.Request;
import dev.promptedge.runtime.daemon.http.Response;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.image.ImageDecodeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of the API's handlers: checks the bearer token, dispatches by method and turns every failure
 * into a 4xx/5xx {@code ApiError} so that no request can take the daemon down.
 */
abstract class Endpoint implements Handler {

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
      Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException;

  /**
   * Whether requests must carry the daemon's token (when the profile sets one); true for the API,
   * false for the dashboard's static files, which hold no data.
   */
  boolean needsToken() {
    return true;
  }

  @Override
  public final void handle(Request request, Response response) {
    Exchange exchange = new Exchange(request, response);
    inFlight.incrementAndGet();
    try (MemoryBudget.Reservation memory = api.budget().reserve()) {
      try {
        if (needsToken()) {
          authorize(exchange);
        }
        serve(exchange, request.method(), request.path(), memory);
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
        api.log().info("out of memory on " + request.target() + ": " + e);
        refuse(
            exchange,
            new ApiException(
                503,
                "out_of_memory",
                "the daemon ran out of memory for this request: retry, or lower"
                    + " api.decode_budget_bytes"));
      } catch (RuntimeException e) {
        api.log().info("internal error on " + request.target() + ": " + e);
        refuse(exchange, new ApiException(500, "internal", "the daemon failed: " + e));
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void refuse(Exchange exchange, ApiException e) throws IOException {
    api.metrics().apiError(e.code());
    if (exchange.response().committed()) {
      return; // a failure after the answer started: the connection is closed instead
    }
    if (e.status() == 401) {
      exchange.response().header("WWW-Authenticate", "Bearer realm=\"promptedged\"");
    }
    if (e.status() == 429 || e.status() == 503) {
      exchange.response().header("Retry-After", "1");
    }
    Exchanges.sendError(exchange, e);
  }

  private void authorize(Exchange exchange) {
    if (api.token().isEmpty()) {
      return;
    }
    String header = exchange.header("Authorization");
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
            + " /v1/events, /v1/sources, /v1/health and /metrics, and the dashboard page at /");
  }
}
