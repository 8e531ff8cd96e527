package dev.promptedge.runtime.ota;

import dev.promptedge.format.TrustedKey;
import dev.promptedge.format.UpdateSettings;
import dev.promptedge.runtime.config.DeviceProfile;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How an {@link UpdateClient} runs: where it polls, which keys it pins, which board it is, how
 * often it polls and how it bounds downloads. Immutable.
 *
 * @param channel base URL of the update repository
 * @param trustedKeys publisher keys pinned for the first root (updates.trusted_keys)
 * @param board this device's board name, matched against a bundle's compatible boards
 * @param pollInterval time between polls
 * @param pollJitter most random extra delay added to each poll
 * @param limits download caps and timeouts
 * @param clock the wall clock expiry is checked against (tests move it)
 * @param maxClockAhead how far ahead of the device's time a signed issue time may be before the
 *     metadata is refused (updates.max_clock_ahead_seconds)
 */
public record UpdateOptions(
    URI channel,
    List<TrustedKey> trustedKeys,
    String board,
    Duration pollInterval,
    Duration pollJitter,
    DownloadLimits limits,
    Clock clock,
    Duration maxClockAhead) {

  /** Poll interval when the profile leaves it at 0: 5 minutes. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);

  /** How far ahead a signed time may be when the profile leaves it at 0: one day. */
  public static final Duration DEFAULT_MAX_CLOCK_AHEAD = Duration.ofDays(1);

  public UpdateOptions {
    if (maxClockAhead.isNegative() || maxClockAhead.isZero()) {
      throw new IllegalArgumentException("updates.max_clock_ahead_seconds must be positive");
    }
    trustedKeys = List.copyOf(trustedKeys);
    if (trustedKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "updates.trusted_keys is empty: pin at least one publisher key");
    }
    if (pollInterval.isNegative() || pollInterval.isZero() || pollJitter.isNegative()) {
      throw new IllegalArgumentException("poll interval must be positive and jitter not negative");
    }
  }

  /**
   * The options a device profile gives (updates.*, board, store.max_bundle_bytes), with the system
   * clock and default timeouts.
   *
   * @throws IllegalArgumentException when the profile has no update channel
   */
  public static UpdateOptions of(DeviceProfile profile) {
    UpdateSettings updates = profile.config().getUpdates();
    if (updates.getChannelUrl().isBlank()) {
      throw new IllegalArgumentException(
          "updates.channel_url is empty in " + profile.path() + ": updates are disabled");
    }
    return new UpdateOptions(
        URI.create(updates.getChannelUrl()),
        updates.getTrustedKeysList(),
        profile.config().getBoard(),
        updates.getPollIntervalSeconds() == 0
            ? DEFAULT_POLL_INTERVAL
            : Duration.ofSeconds(updates.getPollIntervalSeconds()),
        Duration.ofSeconds(updates.getPollJitterSeconds()),
        DownloadLimits.defaults(profile.engineSettings().maxBundleBytes()),
        Clock.systemUTC(),
        updates.getMaxClockAheadSeconds() == 0
            ? DEFAULT_MAX_CLOCK_AHEAD
            : Duration.ofSeconds(updates.getMaxClockAheadSeconds()));
  }
}
