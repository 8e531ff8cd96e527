package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.bundle.BundleNames;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.task.InstallResult;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code POST /v1/bundles} installs the bundle in the body (201, or 200 when it was installed
 * already); {@code DELETE /v1/bundles/NAME} uninstalls a task (204).
 */
final class BundlesEndpoint extends Endpoint {

  BundlesEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (path.equals("/v1/bundles")) {
      if (!method.equals("POST")) {
        throw methodNotAllowed(method, path, "POST with the bundle file as the body");
      }
      byte[] bytes = Exchanges.body(exchange, api.maxBodyBytes(), "api.max_body_bytes", memory);
      InstallResult result = api.control().install(bytes);
      Exchanges.send(exchange, result.unchanged() ? 200 : 201, Responses.install(result));
    } else if (path.startsWith("/v1/bundles/")) {
      if (!method.equals("DELETE")) {
        throw methodNotAllowed(method, path, "DELETE");
      }
      String name = path.substring("/v1/bundles/".length());
      BundleNames.check(name, "task name");
      api.control().remove(name);
      exchange.response().sendEmpty(204);
    } else {
      throw notFound(path);
    }
  }
}
