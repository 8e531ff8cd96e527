package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleNames;
import dev.promptedge.runtime.daemon.serving.MemoryBudget;
import dev.promptedge.runtime.daemon.serving.QueueFullException;
import dev.promptedge.runtime.daemon.serving.QueuedResult;
import dev.promptedge.runtime.image.ImageHeader;
import dev.promptedge.runtime.task.TaskRequest;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code POST /v1/infer[?task=NAME]}: a JPEG or PNG body in, an {@code InferResponse} out. */
final class InferEndpoint extends Endpoint {

  InferEndpoint(ApiServices api, AtomicInteger inFlight) {
    super(api, inFlight);
  }

  @Override
  void serve(Exchange exchange, String method, String path, MemoryBudget.Reservation memory)
      throws IOException {
    if (!path.equals("/v1/infer")) {
      throw notFound(path);
    }
    if (!method.equals("POST")) {
      throw methodNotAllowed(method, path, "POST with a JPEG or PNG body");
    }
    long start = System.nanoTime();
    Optional<String> task = Exchanges.query(exchange, "task").filter(t -> !t.isEmpty());
    if (task.isPresent()) {
      BundleNames.check(task.get(), "task name in ?task=");
    }
    if (task.isPresent() && !api.control().isInstalled(task.get())) {
      throw new ApiException(
          404,
          "unknown_task",
          "no task '" + task.get() + "' is installed: GET /v1/tasks lists the installed ones");
    }
    byte[] body = Exchanges.body(exchange, api.maxBodyBytes(), "api.max_body_bytes", memory);
    ImageHeader header = api.images().header(body);
    long cost = api.images().cost(header);
    if (!memory.tryGrow(cost)) {
      throw Exchanges.busy(memory, cost);
    }
    TaskRequest request = api.images().request(body, header, task);
    long decodeMicros = (System.nanoTime() - start) / 1_000;
    CompletableFuture<QueuedResult> pending;
    try {
      pending = api.queue().submit(request);
    } catch (QueueFullException e) {
      throw new ApiException(429, "queue_full", e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiException(503, "draining", e.getMessage());
    }
    QueuedResult result = await(pending);
    long totalMicros = (System.nanoTime() - start) / 1_000;
    Exchanges.send(exchange, 200, Responses.infer(result, decodeMicros, totalMicros));
  }

  private QueuedResult await(CompletableFuture<QueuedResult> pending) {
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(
          503, "draining", "the daemon is shutting down: retry on its next start");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BundleException) {
        api.control().failed(((BundleException) cause).code());
        throw (BundleException) cause;
      }
      api.control().failed("inference_failed");
      throw new IllegalStateException("inference failed: " + cause, cause);
    }
  }
}
