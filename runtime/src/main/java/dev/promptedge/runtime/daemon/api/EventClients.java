package dev.promptedge.runtime.daemon.api;

import dev.promptedge.format.FrameEvent;
import dev.promptedge.runtime.daemon.http.EventStream;
import dev.promptedge.runtime.daemon.serving.Metrics;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.source.ResultsHub;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of {@code GET /v1/events} and the one thread that writes each frame's event to
 * them: it reads the results hub through one bounded subscription and hands every stream its text
 * without waiting (a stream that falls behind its byte bound ends itself), so a slow client never
 * slows inference or another client. Sends a comment line to every stream when it has been quiet
 * for the keep-alive interval. Thread-safe; {@link #close()} ends every stream (idempotent).
 */
final class EventClients implements AutoCloseable {

  /** Results waiting for the dispatcher; more are skipped (and counted in the events). */
  private static final int BACKLOG = 16;

  /** One open stream: what it wants, the hub's skips when it joined, when it was last sent to. */
  private static final class Client {
    final EventStream stream;
    final Optional<String> source;
    final boolean masks;
    final long skippedAtJoin;
    long lastSentNanos = System.nanoTime();

    Client(EventStream stream, Optional<String> source, boolean masks, long skippedAtJoin) {
      this.stream = stream;
      this.source = source;
      this.masks = masks;
      this.skippedAtJoin = skippedAtJoin;
    }
  }

  private final ResultsHub.Subscription subscription;
  private final Metrics metrics;
  private final int maxClients;
  private final long keepAliveNanos;
  private final AtomicInteger reserved = new AtomicInteger();
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  EventClients(ResultsHub hub, Metrics metrics, int maxClients, long keepAliveMillis) {
    this.subscription = hub.subscribe(BACKLOG);
    this.metrics = metrics;
    metrics.eventClients(() -> clients.size());
    this.maxClients = maxClients;
    this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(keepAliveMillis);
    this.thread = new Thread(this::run, "promptedged-events");
    thread.setDaemon(true);
    thread.start();
  }

  /** Takes one of the client places; false when all are taken (or after close). */
  boolean reserve() {
    if (closed) {
      return false;
    }
    if (reserved.incrementAndGet() > maxClients) {
      reserved.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a place taken by {@link #reserve()} whose stream never joined. */
  void release() {
    reserved.decrementAndGet();
  }

  /** Starts sending to {@code stream} in a place taken by {@link #reserve()}. */
  void join(EventStream stream, Optional<String> source, boolean masks) {
    clients.add(new Client(stream, source, masks, subscription.dropped()));
    if (closed) {
      stream.close();
    }
  }

  int maxClients() {
    return maxClients;
  }

  private void run() {
    while (!closed) {
      Optional<FrameResults> next;
      try {
        next = subscription.poll(Math.min(keepAliveNanos, 500_000_000L), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (next.isPresent()) {
        send(next.get());
      }
      long now = System.nanoTime();
      for (Client c : clients) {
        if (now - c.lastSentNanos >= keepAliveNanos) {
          deliver(c, ": keepalive\n\n");
        }
      }
    }
    clients.forEach(c -> c.stream.close());
  }

  private void send(FrameResults frame) {
    FrameEvent plain = null;
    FrameEvent withMasks = null;
    for (Client c : clients) {
      if (c.source.isPresent() && !c.source.get().equals(frame.source())) {
        continue;
      }
      FrameEvent event;
      if (c.masks) {
        withMasks = withMasks == null ? FrameEvents.of(frame, true) : withMasks;
        event = withMasks;
      } else {
        plain = plain == null ? FrameEvents.of(frame, false) : plain;
        event = plain;
      }
      long skipped = subscription.dropped() - c.skippedAtJoin;
      deliver(
          c,
          "event: frame\ndata: "
              + ProtoJson.print(event.toBuilder().setSkippedEvents(skipped))
              + "\n\n");
    }
  }

  private void deliver(Client c, String text) {
    c.lastSentNanos = System.nanoTime();
    if (!c.stream.send(text) && clients.remove(c)) {
      reserved.decrementAndGet();
      if (c.stream.endedSlowClient()) {
        metrics.slowEventClient();
      }
    }
  }

  /** Ends every stream and stops the thread; idempotent. */
  @Override
  public void close() {
    closed = true;
    subscription.close();
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clients.forEach(c -> c.stream.close());
  }
}
