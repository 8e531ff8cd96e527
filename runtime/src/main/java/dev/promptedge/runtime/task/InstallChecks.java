package dev.promptedge.runtime.task;

import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Sha256;
import java.util.Arrays;
import java.util.Optional;

/**
 * The rules a checked bundle must pass against what the store holds before it is installed:
 * versions increase per task, a version is never reused with other contents, and bytes in
 * quarantine are never installed again.
 */
final class InstallChecks {

  private InstallChecks() {}

  /**
   * Whether exactly {@code bytes} are installed already (nothing to do).
   *
   * @throws BundleException {@code version_reused}, {@code rollback} or {@code quarantined}
   */
  static boolean alreadyInstalled(
      BundleStore store, BundleReader reader, Bundle bundle, byte[] bytes) {
    String who = "bundle '" + bundle.name() + "' v" + bundle.version();
    Optional<Bundle> installed = store.read(bundle.name()).flatMap(b -> readQuietly(reader, b));
    if (installed.isPresent()) {
      Bundle current = installed.get();
      if (current.version() == bundle.version()) {
        if (Arrays.equals(current.toBytes(), bytes)) {
          return true;
        }
        throw new BundleException(
            "version_reused",
            who + " is installed with different contents: give the new bundle a higher version");
      }
      if (current.version() > bundle.version()) {
        throw new BundleException(
            "rollback",
            who
                + " is older than the installed v"
                + current.version()
                + ": versions must increase");
      }
    }
    String sha = Sha256.hex(bytes);
    if (store.trials().isQuarantined(sha)) {
      throw new BundleException(
          "quarantined",
          who
              + " (sha256 "
              + sha.substring(0, 12)
              + "…) is in quarantine: this device died while it was on trial, so these bytes are"
              + " never installed again; publish a fixed bundle with a higher version");
    }
    return false;
  }

  private static Optional<Bundle> readQuietly(BundleReader reader, byte[] bytes) {
    try {
      return Optional.of(reader.read(bytes));
    } catch (BundleException e) {
      return Optional.empty();
    }
  }
}
