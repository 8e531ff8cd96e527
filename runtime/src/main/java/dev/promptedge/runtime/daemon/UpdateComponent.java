package dev.promptedge.runtime.daemon;

import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.daemon.serving.TaskControl;
import dev.promptedge.runtime.ota.CheckResult;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.ota.UpdateListener;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.runtime.ota.UpdateStatus;
import dev.promptedge.runtime.task.InstallResult;

/**
 * The update client as a part of the daemon: polls the profile's channel, installs through {@link
 * TaskControl} (so installs and refusals are counted, logged and shown on the status LED in one
 * place), and adds the client's counters to the metrics. Owns the client; closed before the engine.
 */
final class UpdateComponent implements DaemonComponent {

  private final UpdateOptions options;
  private UpdateClient client;
  private boolean closed;

  UpdateComponent(UpdateOptions options) {
    this.options = options;
  }

  @Override
  public synchronized void start(TaskControl control, DaemonLog log) {
    if (closed || client != null) {
      throw new IllegalStateException("the update component starts once");
    }
    client =
        UpdateClient.open(
            options, control.engine(), new Listener(control, log), control::installUpdate);
    control.metrics().updates(client::status);
    client.start();
    log.info(
        "updates: polling "
            + options.channel()
            + " every "
            + options.pollInterval().toSeconds()
            + " s (+ up to "
            + options.pollJitter().toSeconds()
            + " s jitter)");
  }

  /** The client's counters and last result. */
  synchronized UpdateStatus status() {
    return client.status();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (client != null) {
      client.close();
    }
  }

  /** Turns the client's events into task-control calls and log lines; never throws. */
  private static final class Listener implements UpdateListener {
    private final TaskControl control;
    private final DaemonLog log;

    Listener(TaskControl control, DaemonLog log) {
      this.control = control;
      this.log = log;
    }

    @Override
    public void installing(String name, long version) {
      log.info("update: installing " + name + " v" + version);
      control.installing(name, version);
    }

    @Override
    public void installed(InstallResult result) {
      log.info(
          "update: installed "
              + result.name()
              + " v"
              + result.version()
              + (result.active() ? " (active)" : ""));
    }

    @Override
    public void refused(String reason, String message) {
      log.info("update refused (" + reason + "): " + message);
      control.updateRefused(reason, message);
    }

    @Override
    public void checked(CheckResult result) {
      if (result.ok() && result.installed().isEmpty()) {
        control.updateUpToDate(result.at().toString());
      }
    }
  }
}
