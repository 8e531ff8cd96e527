package dev.promptedge.runtime.task;

import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Sha256;
import java.util.Optional;

/**
 * The one place of the rules a bundle must pass against what the store holds before it is
 * installed, for local installs and updates over the air alike: versions increase per task, a
 * version is never reused with other contents, and bytes in quarantine are never installed again.
 * (The size cap is the reader's: {@link BundleReader#checkSize}.) Stateless.
 */
final class InstallRules {

  private InstallRules() {}

  /**
   * Whether exactly the bundle {@code name} v{@code version} with SHA-256 {@code sha256} is
   * installed already (nothing to do). The installed bundle is what {@code reader} accepts of the
   * stored one; a stored file it refuses counts as none.
   *
   * @throws BundleException {@code version_reused}, {@code rollback} or {@code quarantined}
   */
  static boolean alreadyInstalled(
      BundleStore store, BundleReader reader, String name, long version, String sha256) {
    String who = "bundle '" + name + "' v" + version;
    Optional<Bundle> installed = store.read(name).flatMap(b -> readQuietly(reader, b));
    if (installed.isPresent()) {
      Bundle current = installed.get();
      if (current.version() == version) {
        if (Sha256.hex(current.toBytes()).equals(sha256)) {
          return true;
        }
        throw new BundleException(
            "version_reused",
            who + " is installed with different contents: give the new bundle a higher version");
      }
      if (current.version() > version) {
        throw new BundleException(
            "rollback",
            who
                + " is older than the installed v"
                + current.version()
                + ": versions must increase");
      }
    }
    if (store.trials().isQuarantined(sha256)) {
      throw new BundleException(
          "quarantined",
          who
              + " (sha256 "
              + sha256.substring(0, 12)
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
