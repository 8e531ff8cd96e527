package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.format.TaskList;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.trust.BundleVerifier;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place the daemon changes its tasks — from the API, the button, or the update client:
 * install, activate, cycle, remove. Each change is counted in {@link Metrics} and told to the
 * {@link TaskListener}s. Thread-safe; the engine it wraps is owned by the daemon.
 */
public final class TaskControl {

  private final TaskEngine engine;
  private final BundleVerifier verifier;
  private final Metrics metrics;
  private final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
  private volatile String lastUpdate = "";

  /** Wraps {@code engine}; uploaded bundles pass {@code verifier} before the engine sees them. */
  public TaskControl(TaskEngine engine, BundleVerifier verifier, Metrics metrics) {
    this.engine = engine;
    this.verifier = verifier;
    this.metrics = metrics;
  }

  /** Adds a listener and tells it the active task at once. */
  public void listen(TaskListener listener) {
    listeners.add(listener);
    listener.activeChanged(engine.active());
  }

  /**
   * Verifies (signatures, through the daemon's {@link BundleVerifier}) and installs a serialized
   * bundle from the API.
   *
   * @throws BundleException when it is refused; nothing changed
   */
  public InstallResult install(byte[] bytes) {
    return install(bytes, verifier, "");
  }

  /**
   * Installs a bundle the update client took over the air: its bytes already matched the length and
   * SHA-256 of signed targets metadata, so the upload verifier is not asked again. Counted and
   * shown like every other install.
   *
   * @throws BundleException when it is refused (e.g. its self-test failed); nothing changed
   */
  public InstallResult installUpdate(byte[] bytes) {
    return install(bytes, BundleVerifier.UNVERIFIED, " over the air");
  }

  private synchronized InstallResult install(byte[] bytes, BundleVerifier check, String how) {
    Optional<String> before = engine.active();
    InstallResult result;
    try {
      check.verify(bytes);
      result = engine.install(bytes);
    } catch (BundleException e) {
      metrics.bundleRejected(e.code());
      lastUpdate = "refused a bundle" + how + " (" + e.code() + "): " + e.getMessage();
      listeners.forEach(l -> l.failed(e.code()));
      throw e;
    }
    if (!result.unchanged()) {
      metrics.install();
      lastUpdate = "installed " + result.name() + " v" + result.version() + how;
      listeners.forEach(l -> l.installed(result.name(), result.version()));
    }
    announceIfChanged(before);
    return result;
  }

  /** Tells the listeners that {@code name} v{@code version} is being downloaded and installed. */
  public void installing(String name, long version) {
    listeners.forEach(l -> l.installing(name, version));
  }

  /**
   * Records an update the update client refused before any bundle reached {@link #installUpdate}
   * (metadata signatures, expiry, download): it becomes the last update line and an error signal.
   */
  public void updateRefused(String code, String message) {
    lastUpdate = "update refused (" + code + "): " + message;
    listeners.forEach(l -> l.failed(code));
  }

  /**
   * Records a check that found nothing to do; a refusal shown before is replaced so that the line
   * does not keep naming a problem that is gone.
   */
  public void updateUpToDate(String when) {
    if (lastUpdate.startsWith("update refused")) {
      lastUpdate = "update check " + when + ": up to date";
    }
  }

  /**
   * Makes {@code name} the active task and returns once the choice is durable ({@link
   * TaskEngine#activate}): inference uses it from the switch on, the caller answers its client on
   * the acknowledgement.
   *
   * @throws BundleException with code {@code unknown_task} when it is not installed, {@code
   *     store_write_failed} when the choice could not be persisted (the engine switched back)
   */
  public synchronized void activate(String name) {
    Optional<String> before = engine.active();
    try {
      engine.activate(name);
    } finally {
      announceIfChanged(before);
    }
  }

  /** Activates the installed task after the active one, in name order, wrapping around. */
  public synchronized Optional<String> cycle() {
    List<String> names = engine.installed();
    if (names.isEmpty()) {
      return Optional.empty();
    }
    int index = engine.active().map(names::indexOf).orElse(-1);
    String next = names.get((index + 1) % names.size());
    activate(next);
    return Optional.of(next);
  }

  /** Uninstalls {@code name}; the active task cannot be removed while others are installed. */
  public synchronized void remove(String name) {
    Optional<String> before = engine.active();
    engine.remove(name);
    lastUpdate = "removed " + name;
    announceIfChanged(before);
  }

  /**
   * Records a bundle the engine quarantined at start ({@code message} is its store event): it
   * becomes the last update line and the listeners are told of the revert.
   */
  public void reverted(String task, String message) {
    lastUpdate = message;
    listeners.forEach(l -> l.reverted(task));
  }

  /** Tells the listeners about an error (e.g. a failed inference). */
  public void failed(String code) {
    listeners.forEach(l -> l.failed(code));
  }

  /** The installed tasks, with the active one named. */
  public TaskList tasks() {
    TaskList.Builder list =
        TaskList.newBuilder().setFormatVersion(1).setActive(engine.active().orElse(""));
    List<String> resident = engine.resident();
    for (String name : engine.installed()) {
      Optional<byte[]> bytes = engine.store().read(name);
      if (bytes.isEmpty()) {
        continue;
      }
      TaskInfo.Builder info =
          TaskInfo.newBuilder()
              .setName(name)
              .setResident(resident.contains(name))
              .setSizeBytes(bytes.get().length);
      try {
        PromptBundle b = BundleReader.parse(bytes.get(), Long.MAX_VALUE).bundle();
        info.setVersion(b.getVersion())
            .setTask(b.getTask())
            .addAllLabels(b.getLabelsList())
            .putAllMetrics(b.getMetricsMap());
      } catch (BundleException e) {
        // A stored bundle that no longer parses is listed by name and size only.
      }
      list.addTasks(info);
    }
    return list.build();
  }

  /** Whether {@code name} is installed. */
  public boolean isInstalled(String name) {
    return engine.installed().contains(name);
  }

  /** Outcome of the last install or removal in one line; empty when there was none. */
  public String lastUpdate() {
    return lastUpdate;
  }

  /** The daemon's metrics, where components add their counters. */
  public Metrics metrics() {
    return metrics;
  }

  /** The engine behind this control. */
  public TaskEngine engine() {
    return engine;
  }

  /**
   * Tells the listeners of a change of the active task, once the engine acknowledged it durable
   * (what the API acknowledges: a SIGKILL right after the answer must not lose it).
   */
  private void announceIfChanged(Optional<String> before) {
    Optional<String> after = engine.active();
    if (!after.equals(before)) {
      metrics.swap();
      listeners.forEach(l -> l.activeChanged(after));
    }
  }
}
