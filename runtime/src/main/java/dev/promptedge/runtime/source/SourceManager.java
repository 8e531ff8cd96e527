package dev.promptedge.runtime.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The running sources by name: add or replace, remove, status; closing it stops every source and
 * its processes.
 */
public final class SourceManager implements AutoCloseable {
  private final FrameInference inference;
  private final ResultsHub hub;
  private final FrameStream.Timeouts timeouts;
  private final Map<String, FrameSource> sources = new TreeMap<>();

  public SourceManager(FrameInference inference, ResultsHub hub) {
    this(inference, hub, FrameStream.Timeouts.DEFAULT);
  }

  SourceManager(FrameInference inference, ResultsHub hub, FrameStream.Timeouts timeouts) {
    this.inference = inference;
    this.hub = hub;
    this.timeouts = timeouts;
  }

  /** The hub every source publishes to. */
  public ResultsHub hub() {
    return hub;
  }

  /** Starts a source, stopping any running one of the same name first; true if one was replaced. */
  public boolean put(SourceSpec spec) {
    FrameSource old;
    synchronized (this) {
      old = sources.remove(spec.name());
    }
    if (old != null) {
      old.close();
    }
    FrameSource started = new FrameSource(spec, inference, hub, timeouts);
    synchronized (this) {
      sources.put(spec.name(), started);
    }
    return old != null;
  }

  /** Stops and forgets a source; false if there was none of that name. */
  public boolean remove(String name) {
    FrameSource old;
    synchronized (this) {
      old = sources.remove(name);
    }
    if (old == null) {
      return false;
    }
    old.close();
    return true;
  }

  /** The spec of a running source. */
  public synchronized Optional<SourceSpec> spec(String name) {
    return Optional.ofNullable(sources.get(name)).map(FrameSource::spec);
  }

  /** The status of a running source. */
  public synchronized Optional<SourceStatus> status(String name) {
    return Optional.ofNullable(sources.get(name)).map(FrameSource::status);
  }

  /** The status of every running source, by name. */
  public synchronized List<SourceStatus> statuses() {
    List<SourceStatus> out = new ArrayList<>();
    sources.values().forEach(s -> out.add(s.status()));
    return out;
  }

  @Override
  public void close() {
    List<FrameSource> all;
    synchronized (this) {
      all = new ArrayList<>(sources.values());
      sources.clear();
    }
    all.forEach(FrameSource::close);
  }
}
