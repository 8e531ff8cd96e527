package dev.promptedge.runtime.daemon.api;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.promptedge.format.SourceInfo;
import dev.promptedge.format.SourceList;
import dev.promptedge.format.SourceSettings;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.source.SourceSpec;
import dev.promptedge.runtime.source.SourceStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/sources} lists the running sources; {@code GET /v1/sources/NAME} shows one, {@code
 * PUT /v1/sources/NAME} (a {@code SourceSettings} body) adds or replaces it at once, {@code DELETE
 * /v1/sources/NAME} stops it. Changes last until the daemon stops; the profile's sources come back
 * at the next start.
 */
final class SourcesEndpoint extends Endpoint {

  static final String PREFIX = "/v1/sources";

  /** Most sources running at once: each holds two threads and a connection or process. */
  static final int MAX_SOURCES = 32;

  private static final long MAX_REQUEST_BYTES = 16 << 10;

  SourcesEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (path.equals(PREFIX)) {
      if (!method.equals("GET")) {
        throw methodNotAllowed(method, path, "GET, or PUT on " + PREFIX + "/NAME");
      }
      SourceList.Builder list = SourceList.newBuilder().setFormatVersion(1);
      for (SourceStatus status : api.sources().statuses()) {
        api.sources().spec(status.name()).ifPresent(spec -> list.addSources(info(spec, status)));
      }
      Exchanges.send(exchange, 200, list.build());
      return;
    }
    if (!path.startsWith(PREFIX + "/") || path.indexOf('/', PREFIX.length() + 1) >= 0) {
      throw notFound(path);
    }
    String name = path.substring(PREFIX.length() + 1);
    switch (method) {
      case "GET" -> Exchanges.send(exchange, 200, current(name).orElseThrow(() -> unknown(name)));
      case "PUT" -> put(exchange, name, memory);
      case "DELETE" -> {
        if (!api.sources().remove(name)) {
          throw unknown(name);
        }
        api.log().info("source " + name + ": removed through the API");
        exchange.response().sendEmpty(204);
      }
      default -> throw methodNotAllowed(method, path, "GET, PUT or DELETE");
    }
  }

  private void put(Exchange exchange, String name, MemoryBudget.Reservation memory)
      throws IOException {
    byte[] body =
        Exchanges.body(
            exchange, MAX_REQUEST_BYTES, "the fixed limit of a SourceSettings body", memory);
    SourceSettings settings = parse(exchange, body);
    if (!settings.getName().isEmpty() && !settings.getName().equals(name)) {
      throw new ApiException(
          400,
          "bad_source",
          "name: '"
              + settings.getName()
              + "' in the body differs from '"
              + name
              + "' in the path; leave it out or make them equal");
    }
    SourceSpec spec;
    try {
      spec = api.sourceSpec().apply(settings.toBuilder().setName(name).build());
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "bad_source",
          e.getMessage()
              + "; send e.g. {\"url\": \"http://camera.local/mjpeg\", \"fps\": 5, \"tasks\":"
              + " [\"detect\"]}");
    }
    boolean known = api.sources().spec(name).isPresent();
    if (!known && api.sources().statuses().size() >= MAX_SOURCES) {
      throw new ApiException(
          409,
          "too_many_sources",
          MAX_SOURCES + " sources are running, the most the daemon takes: delete one first");
    }
    boolean replaced = api.sources().put(spec);
    api.log()
        .info(
            "source "
                + name
                + (replaced
                    ? ": replaced through the API, reading "
                    : ": added through the API, reading ")
                + spec.displayUrl());
    Exchanges.send(exchange, replaced ? 200 : 201, current(name).orElseThrow(() -> unknown(name)));
  }

  private static SourceSettings parse(Exchange exchange, byte[] body) {
    String type = exchange.header("Content-Type");
    if (type != null && type.startsWith(Exchanges.PROTOBUF)) {
      try {
        return SourceSettings.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new ApiException(400, "bad_source", "the body is not a SourceSettings message");
      }
    }
    try {
      return ProtoJson.merge(new String(body, StandardCharsets.UTF_8), SourceSettings.newBuilder())
          .build();
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          400,
          "bad_source",
          "the body is not SourceSettings JSON ("
              + e.getMessage()
              + "): send e.g. {\"url\": \"http://camera.local/mjpeg\", \"fps\": 5}");
    }
  }

  private Optional<SourceInfo> current(String name) {
    Optional<SourceSpec> spec = api.sources().spec(name);
    Optional<SourceStatus> status = api.sources().status(name);
    return spec.isPresent() && status.isPresent()
        ? Optional.of(info(spec.get(), status.get()))
        : Optional.empty();
  }

  static ApiException unknown(String name) {
    return new ApiException(
        404,
        "unknown_source",
        "no source '" + name + "' is running: GET " + PREFIX + " lists them, PUT adds one");
  }

  private static SourceInfo info(SourceSpec spec, SourceStatus s) {
    return SourceInfo.newBuilder()
        .setName(spec.name())
        .setUrl(spec.displayUrl())
        .setFps(spec.fps())
        .addAllTasks(spec.tasks())
        .setState(s.state().name())
        .setFramesIn(s.framesIn())
        .setFramesInferred(s.framesInferred())
        .setFramesDropped(s.framesDropped())
        .setReconnects(s.reconnects())
        .setLastError(s.lastError().orElse(""))
        .setLastFrameUnixMs(s.lastFrameMillis().orElse(0L))
        .build();
  }
}
