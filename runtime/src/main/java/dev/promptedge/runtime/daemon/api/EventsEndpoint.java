package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.daemon.http.EventStream;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/events}: Server-Sent Events, one {@code event: frame} per frame and source whose
 * data is a {@code FrameEvent} as JSON; {@code ?source=NAME} keeps one source, {@code ?masks=1}
 * adds segmentation masks as PNG. A comment line comes every 15 s when no frame does.
 */
final class EventsEndpoint extends Endpoint {

  static final long KEEP_ALIVE_MILLIS = 15_000;

  private final EventClients clients;

  EventsEndpoint(ApiServices api, AtomicInteger inFlight, EventClients clients) {
    super(api, inFlight);
    this.clients = clients;
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (!path.equals("/v1/events")) {
      throw notFound(path);
    }
    if (!method.equals("GET")) {
      throw methodNotAllowed(method, path, "GET");
    }
    Optional<String> source = Exchanges.query(exchange, "source").filter(s -> !s.isEmpty());
    if (source.isPresent() && !source.get().matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new ApiException(
          400,
          "bad_source",
          "source '" + source.get() + "' is not a source name: 1-64 of [A-Za-z0-9_.-]");
    }
    boolean masks = flag(exchange, "masks");
    if (!clients.reserve()) {
      throw new ApiException(
          503,
          "too_many_event_clients",
          clients.maxClients()
              + " clients are reading /v1/events already (api.max_event_clients): close one or"
              + " retry later");
    }
    EventStream stream;
    try {
      exchange.response().header("X-Accel-Buffering", "no");
      stream =
          exchange.response().stream(
              200, "text/event-stream; charset=utf-8", api.eventQueueBytes());
    } catch (IOException | RuntimeException e) {
      clients.release();
      throw e;
    }
    stream.send(": promptedged events\nretry: 2000\n\n");
    clients.join(stream, source, masks);
  }

  private static boolean flag(Exchange exchange, String name) {
    Optional<String> value = Exchanges.query(exchange, name);
    if (value.isEmpty() || value.get().equals("0") || value.get().equals("false")) {
      return false;
    }
    if (value.get().isEmpty() || value.get().equals("1") || value.get().equals("true")) {
      return true;
    }
    throw new ApiException(
        400, "bad_query", "?" + name + "=" + value.get() + " is not a flag: use 1 or 0");
  }
}
