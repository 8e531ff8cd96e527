package dev.promptedge.runtime.ota;

import dev.promptedge.runtime.task.InstallResult;

/**
 * Hooks the daemon implements to show update progress (status LED, logs). Called on the update
 * client's thread; implementations return quickly and do not throw.
 */
public interface UpdateListener {

  /** A listener that does nothing. */
  UpdateListener NONE = new UpdateListener() {};

  /** A bundle is being downloaded and installed (e.g. blink the status LED). */
  default void installing(String name, long version) {}

  /** A bundle was installed after its self-test passed. */
  default void installed(InstallResult result) {}

  /**
   * Something was refused; the previous bundles keep serving (e.g. light the LED steadily, log one
   * line). The client itself does not log refusals: they are in its result and status too.
   */
  default void refused(String reason, String message) {}

  /** A check finished. */
  default void checked(CheckResult result) {}
}
