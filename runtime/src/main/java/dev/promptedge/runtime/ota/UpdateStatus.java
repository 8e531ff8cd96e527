package dev.promptedge.runtime.ota;

import java.util.Map;

/**
 * Counters and the last result of an update client, for the daemon's health and metrics endpoints.
 * Immutable snapshot.
 *
 * @param last the result of the last check
 * @param checks checks run since the client started
 * @param installs bundles installed since the client started
 * @param rejections refusals since the client started, by reason code
 */
public record UpdateStatus(
    CheckResult last, long checks, long installs, Map<String, Long> rejections) {

  public UpdateStatus {
    rejections = Map.copyOf(rejections);
  }
}
