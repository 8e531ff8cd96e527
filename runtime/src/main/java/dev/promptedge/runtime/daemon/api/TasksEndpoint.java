package dev.promptedge.runtime.daemon.api;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.promptedge.format.ActivateRequest;
import dev.promptedge.runtime.bundle.BundleNames;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code GET /v1/tasks} lists the tasks; {@code PUT /v1/tasks/active} switches the active one. */
final class TasksEndpoint extends Endpoint {

  /** Largest accepted activation request. */
  private static final long MAX_REQUEST_BYTES = 4096;

  TasksEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (path.equals("/v1/tasks")) {
      if (!method.equals("GET")) {
        throw methodNotAllowed(method, path, "GET");
      }
      Exchanges.send(exchange, 200, api.control().tasks());
    } else if (path.equals("/v1/tasks/active")) {
      if (!method.equals("PUT")) {
        throw methodNotAllowed(method, path, "PUT with {\"name\": \"TASK\"}");
      }
      ActivateRequest request =
          parse(
              exchange,
              Exchanges.body(
                  exchange,
                  MAX_REQUEST_BYTES,
                  "the fixed limit of an activation request, {\"name\": \"TASK\"}",
                  memory));
      if (request.getName().isBlank()) {
        throw new ApiException(
            400, "bad_request", "name the task to activate: {\"name\": \"TASK\"}");
      }
      BundleNames.check(request.getName(), "task name");
      api.control().activate(request.getName());
      Exchanges.send(exchange, 200, api.control().tasks());
    } else {
      throw notFound(path);
    }
  }

  private static ActivateRequest parse(Exchange exchange, byte[] body) {
    String type = exchange.header("Content-Type");
    if (type != null && type.startsWith(Exchanges.PROTOBUF)) {
      try {
        return ActivateRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new ApiException(400, "bad_request", "the body is not an ActivateRequest message");
      }
    }
    return ProtoJson.merge(new String(body, StandardCharsets.UTF_8), ActivateRequest.newBuilder())
        .build();
  }
}
