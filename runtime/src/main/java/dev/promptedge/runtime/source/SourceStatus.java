package dev.promptedge.runtime.source;

import java.util.Optional;

/** A snapshot of one source's health and counters. */
public record SourceStatus(
    String name,
    String url,
    State state,
    long framesIn,
    long framesDropped,
    long decodeFailures,
    long streamErrors,
    Optional<String> lastError,
    Optional<Long> lastFrameMillis) {
  /** Where a source's connection stands. */
  public enum State {
    CONNECTING,
    CONNECTED,
    RECONNECTING,
    STOPPED
  }
}
