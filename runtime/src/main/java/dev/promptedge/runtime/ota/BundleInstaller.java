package dev.promptedge.runtime.ota;

import dev.promptedge.runtime.task.InstallResult;

/**
 * Where the update client hands a bundle whose bytes matched the signed targets metadata: the task
 * engine by default, the daemon's task control in {@code promptedged} (so that installs are counted
 * and shown in one place). Implementations run the engine's checks and self-test and are
 * thread-safe.
 */
@FunctionalInterface
public interface BundleInstaller {

  /**
   * Installs {@code bytes} (a serialized {@code SignedBundle}).
   *
   * @throws dev.promptedge.runtime.bundle.BundleException when it is refused; nothing changed
   */
  InstallResult install(byte[] bytes);
}
