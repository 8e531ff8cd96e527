package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.daemon.serving.TaskControl;

/**
 * A part the daemon owns besides its API, started once the daemon is ready and closed before it
 * drains — the seam for the OTA update client, which installs through {@link TaskControl} like
 * every other change. Implementations own their threads and sockets.
 */
public interface DaemonComponent extends AutoCloseable {

  /** Starts the component; {@code control} is where it changes tasks. */
  void start(TaskControl control, DaemonLog log);

  /** Stops the component; idempotent. */
  @Override
  void close();
}
