package dev.promptedge.runtime.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running sources by name: add or replace, remove, status; each source has its own reader and
 * inference threads and publishes to one {@link ResultsHub}, and a watchdog reopens a live stream
 * that gave no frame within the read timeout. Thread-safe: changes are serialized, status reads
 * never wait for them. Closing it stops every source and its processes.
 *
 * <pre>{@code
 * try (SourceManager sources = new SourceManager(FrameInference.of(engine), new ResultsHub())) {
 *   sources.put(new SourceSpec("door", "http://cam.local/mjpeg", 5, List.of()));
 * }
 * }</pre>
 */
public final class SourceManager implements AutoCloseable {
  private final FrameInference inference;
  private final ResultsHub hub;
  private final FrameStream.Timeouts timeouts;
  private final Map<String, FrameSource> sources = new ConcurrentSkipListMap<>();
  private final Object changes = new Object();
  private final ScheduledExecutorService watchdog;
  private volatile boolean closed;

  /** A manager with no sources yet, running frames through {@code inference}. */
  public SourceManager(FrameInference inference, ResultsHub hub) {
    this(inference, hub, FrameStream.Timeouts.DEFAULT);
  }

  SourceManager(FrameInference inference, ResultsHub hub, FrameStream.Timeouts timeouts) {
    this.inference = inference;
    this.hub = hub;
    this.timeouts = timeouts;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "source-watchdog");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, Math.min(1_000, timeouts.readMillis() / 4));
    watchdog.scheduleWithFixedDelay(
        () -> sources.values().forEach(FrameSource::checkStall),
        period,
        period,
        TimeUnit.MILLISECONDS);
  }

  /** The hub every source publishes to. */
  public ResultsHub hub() {
    return hub;
  }

  /**
   * Starts a source, stopping any running one of the same name first; true if one was replaced.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public boolean put(SourceSpec spec) {
    synchronized (changes) {
      if (closed) {
        throw new IllegalStateException("the source manager is closed");
      }
      FrameSource old = sources.remove(spec.name());
      if (old != null) {
        old.close();
      }
      FrameSource started = new FrameSource(spec, inference, hub, timeouts);
      sources.put(spec.name(), started);
      started.start();
      return old != null;
    }
  }

  /** Stops and forgets a source; false if there was none of that name. */
  public boolean remove(String name) {
    synchronized (changes) {
      FrameSource old = sources.remove(name);
      if (old == null) {
        return false;
      }
      old.close();
      return true;
    }
  }

  /** The spec of a running source. */
  public Optional<SourceSpec> spec(String name) {
    return Optional.ofNullable(sources.get(name)).map(FrameSource::spec);
  }

  /** The status of a running source. */
  public Optional<SourceStatus> status(String name) {
    return Optional.ofNullable(sources.get(name)).map(FrameSource::status);
  }

  /** The status of every running source, by name. */
  public List<SourceStatus> statuses() {
    List<SourceStatus> out = new ArrayList<>();
    sources.values().forEach(s -> out.add(s.status()));
    return out;
  }

  /** Stops every source; idempotent. */
  @Override
  public void close() {
    synchronized (changes) {
      closed = true;
      watchdog.shutdownNow();
      List<FrameSource> all = new ArrayList<>(sources.values());
      sources.clear();
      all.forEach(FrameSource::close);
    }
  }
}
