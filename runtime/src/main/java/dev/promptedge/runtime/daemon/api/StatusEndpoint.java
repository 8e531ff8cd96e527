package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.daemon.serving.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code GET /v1/health}, {@code GET /metrics}, and 404 for every other path. */
final class StatusEndpoint extends Endpoint {

  StatusEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (!path.equals("/v1/health") && !path.equals("/metrics")) {
      throw notFound(path);
    }
    if (!method.equals("GET")) {
      throw methodNotAllowed(method, path, "GET");
    }
    if (path.equals("/v1/health")) {
      Exchanges.send(exchange, 200, api.health().get());
    } else {
      Exchanges.send(
          exchange,
          200,
          Metrics.CONTENT_TYPE,
          api.metrics().render().getBytes(StandardCharsets.UTF_8));
    }
  }
}
