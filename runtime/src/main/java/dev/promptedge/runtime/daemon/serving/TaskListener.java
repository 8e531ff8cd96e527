package dev.promptedge.runtime.daemon.serving;

import java.util.Optional;

/**
 * Told about what happens to the daemon's tasks, e.g. to light LEDs. Calls come from whichever
 * thread made the change and must return quickly; implementations are thread-safe.
 */
public interface TaskListener {

  /** The active task is now {@code task} (empty when none is). */
  default void activeChanged(Optional<String> task) {}

  /** A bundle is being downloaded and installed by the update client. */
  default void installing(String task, long version) {}

  /** A bundle was installed. */
  default void installed(String task, long version) {}

  /**
   * The daemon started after a crash while {@code task}'s new bundle was on trial: that bundle is
   * quarantined and the version before it restored.
   */
  default void reverted(String task) {}

  /** An install or an inference failed; {@code code} is the error's stable code. */
  default void failed(String code) {}
}
