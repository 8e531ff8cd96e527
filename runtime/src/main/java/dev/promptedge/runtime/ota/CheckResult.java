package dev.promptedge.runtime.ota;

import dev.promptedge.runtime.task.InstallResult;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one update check. Immutable.
 *
 * @param at when the check finished (the client's clock)
 * @param ok true when nothing was refused (also when there was nothing to do)
 * @param reason stable reason code of the first refusal: a metadata or download code ({@code
 *     signature}, {@code format}, {@code rollback}, {@code expired}, {@code clock_ahead}, {@code
 *     mix_and_match}, {@code too_large}, {@code slow_retrieval}, {@code download}, {@code
 *     bundle_hash}, {@code state}, {@code internal}) or a {@link
 *     dev.promptedge.runtime.bundle.BundleException} code; empty when ok
 * @param message one line: what was installed, or what was refused and why
 * @param installed bundles installed by this check
 * @param skipped bundles of the repository this device does not take (other board or backbone)
 */
public record CheckResult(
    Instant at,
    boolean ok,
    String reason,
    String message,
    List<InstallResult> installed,
    List<Skipped> skipped) {

  public CheckResult {
    installed = List.copyOf(installed);
    skipped = List.copyOf(skipped);
  }

  /**
   * A bundle of the repository that is not for this device.
   *
   * @param name bundle name
   * @param version bundle version
   * @param reason {@code wrong_board} or {@code wrong_backbone}
   */
  public record Skipped(String name, long version, String reason) {}

  /** The result before any check ran. */
  static CheckResult none() {
    return new CheckResult(Instant.EPOCH, true, "", "no update check yet", List.of(), List.of());
  }
}
