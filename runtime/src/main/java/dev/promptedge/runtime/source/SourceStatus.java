package dev.promptedge.runtime.source;

import java.util.Optional;

/**
 * A snapshot of one source's health and counters.
 *
 * @param name the source's name in the profile
 * @param url the source's url without its credentials ({@link SourceSpec#displayUrl()})
 * @param state where its connection stands
 * @param framesIn frames read from the stream (after the fps cap)
 * @param framesInferred frames whose tasks ran and whose results were published
 * @param framesDropped frames replaced by a newer one before inference took them
 * @param decodeFailures frames that were not a decodable image
 * @param inferenceFailures frames on which the engine failed
 * @param frameErrors frames the stream refused but read past (too large, unreadable file)
 * @param streamErrors connections that failed or broke
 * @param reconnects connections opened after the first
 * @param lastError the newest problem, if any
 * @param lastFrameMillis epoch millis of the newest frame inferred
 */
public record SourceStatus(
    String name,
    String url,
    State state,
    long framesIn,
    long framesInferred,
    long framesDropped,
    long decodeFailures,
    long inferenceFailures,
    long frameErrors,
    long streamErrors,
    long reconnects,
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
