package dev.promptedge.runtime.daemon;

import dev.promptedge.format.Health;
import dev.promptedge.format.TaskInfo;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.api.ApiServer;
import dev.promptedge.runtime.daemon.api.ApiServices;
import dev.promptedge.runtime.daemon.gpio.Panel;
import dev.promptedge.runtime.daemon.gpio.Panels;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.daemon.serving.ImageIntake;
import dev.promptedge.runtime.daemon.serving.InferenceQueue;
import dev.promptedge.runtime.daemon.serving.Metrics;
import dev.promptedge.runtime.daemon.serving.TaskControl;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.mqtt.MqttOptions;
import dev.promptedge.runtime.mqtt.MqttPublisher;
import dev.promptedge.runtime.ota.UpdateClient;
import dev.promptedge.runtime.ota.UpdateOptions;
import dev.promptedge.runtime.source.FrameInference;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.source.SourceManager;
import dev.promptedge.runtime.source.SourceSpec;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Trials;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.StoreEvent;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.tflite.TfliteNative;
import dev.promptedge.runtime.trust.BundleVerifier;
import dev.promptedge.runtime.trust.UploadTrust;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The running daemon: one backbone, the bundle store, the task engine (restoring the last active
 * task), the inference queue, the GPIO panel, optional components (the update client), the
 * profile's frame sources, the MQTT publisher of their results and the HTTP API. Owns all of them;
 * {@link #close()} drains the queue, persists the active task and frees everything (idempotent).
 *
 * <pre>{@code
 * try (Daemon daemon = Daemon.start(DeviceProfile.read(path), DaemonLog.stderr())) {
 *   System.out.println(daemon.readyLine());
 * }
 * }</pre>
 */
public final class Daemon implements AutoCloseable {

  private final DeviceProfile profile;
  private final DaemonLog log;
  private final long startNanos;
  private final List<DaemonComponent> components = new ArrayList<>();
  private Backbone backbone;
  private EngineKind engineKind;
  private TaskEngine engine;
  private final Metrics metrics = new Metrics();
  private TaskControl control;
  private InferenceQueue queue;
  private Panel panel = Panel.NONE;
  private ApiServer api;
  private SourceManager sources;
  private MqttPublisher mqtt;
  private volatile String status = "starting";
  private String trust = "";
  private long readyNanos;
  private boolean closed;

  private Daemon(DeviceProfile profile, DaemonLog log) {
    this.profile = profile;
    this.log = log;
    this.startNanos = System.nanoTime();
  }

  /**
   * Starts the daemon of {@code profile}: uploads are checked as the profile says (a signature by
   * its pinned updates.trusted_keys; unsigned only on a loopback API when it pins none), and the
   * update client polls when it names updates.channel_url.
   *
   * @throws RuntimeException naming what could not be opened; everything opened is closed again
   */
  public static Daemon start(DeviceProfile profile, DaemonLog log) {
    UploadTrust trust =
        UploadTrust.of(
            profile,
            DaemonSettings.of(profile.config().getApi()).bind(),
            () -> UpdateClient.trustedTargetsKeys(profile.storeDirectory()));
    List<DaemonComponent> parts = new ArrayList<>();
    String updates = "updates off (no updates.channel_url)";
    if (!profile.config().getUpdates().getChannelUrl().isBlank()) {
      UpdateOptions options = UpdateOptions.of(profile);
      parts.add(new UpdateComponent(options));
      updates = "updates from " + options.channel();
    }
    return start(profile, log, trust.verifier(), parts, trust.description() + "; " + updates);
  }

  /**
   * Starts the daemon of {@code profile}: uploaded bundles pass {@code verifier}, and {@code
   * components} (e.g. the update client) start once the API is up and are closed first.
   *
   * @throws RuntimeException naming what could not be opened; everything opened is closed again
   */
  public static Daemon start(
      DeviceProfile profile,
      DaemonLog log,
      BundleVerifier verifier,
      List<DaemonComponent> components) {
    return start(
        profile,
        log,
        verifier,
        components,
        verifier == BundleVerifier.UNVERIFIED
            ? "uploads UNSIGNED accepted (set by the caller)"
            : "uploads checked by the caller's verifier");
  }

  private static Daemon start(
      DeviceProfile profile,
      DaemonLog log,
      BundleVerifier verifier,
      List<DaemonComponent> components,
      String trust) {
    Daemon daemon = new Daemon(profile, log);
    daemon.trust = trust;
    try {
      daemon.open(verifier, components);
      return daemon;
    } catch (RuntimeException | Error e) {
      daemon.close();
      throw e;
    }
  }

  private void open(BundleVerifier verifier, List<DaemonComponent> parts) {
    DaemonSettings settings = DaemonSettings.of(profile.config().getApi());
    InterpreterConfig interpreter = profile.interpreter();
    engineKind = interpreter.engine().resolve(interpreter.jniLibrary());
    if (engineKind == EngineKind.TFLITE) {
      // Fails before anything else opens, naming the setting, where the JNI library is missing.
      TfliteNative.load(interpreter.jniLibrary());
    }
    backbone =
        Backbone.open(
            profile.readCard(), profile.config().getUseQuantized(), profile.interpreter());
    engine =
        TaskEngine.open(
            backbone, BundleStore.open(profile.storeDirectory()), profile.engineSettings());
    control = new TaskControl(engine, verifier, metrics);
    for (StoreEvent event : engine.storeEvents()) {
      log.info("store: " + event.message());
      metrics.storeEvent(event.kind());
    }
    metrics.trialGauges(
        () -> engine.trialsPending().size(), () -> engine.store().trials().quarantined().size());
    queue =
        new InferenceQueue(
            engine,
            metrics,
            settings.maxBatch(),
            settings.maxWaitMillis(),
            settings.queueCapacity());
    metrics.gauges(queue::depth, () -> engine.resident().size());
    panel = Panels.open(profile.config().getGpio(), this::pressed, log::info);
    control.listen(new PanelListener(panel));
    for (StoreEvent event : engine.storeEvents()) {
      if (event.kind().equals(StoreEvent.QUARANTINED)) {
        control.reverted(event.name(), event.message());
      }
    }
    ImageIntake images =
        new ImageIntake(
            new ImageDecoder(settings.maxPixels()), Preprocessor.forCard(backbone.card().card()));
    sources =
        new SourceManager(
            countedBatches(settings),
            new ResultsHub(
                r ->
                    metrics.sourceFrame(
                        r.source(), (r.inferenceEndMillis() - r.arrivedMillis()) * 1_000L)));
    metrics.sources(sources::statuses);
    startMqtt();
    api =
        ApiServer.start(
            settings.bind(),
            settings.limits(),
            new ApiServices(
                control,
                queue,
                metrics,
                images,
                MemoryBudgetCheck.budget(settings, images),
                settings.maxBodyBytes(),
                settings.token(),
                this::health,
                log,
                sources,
                profile::source,
                settings.maxEventClients(),
                settings.eventQueueBytes()));
    for (DaemonComponent component : parts) {
      components.add(component);
      component.start(control, log);
    }
    for (SourceSpec spec : profile.sources()) {
      sources.put(spec);
      log.info(
          "source "
              + spec.name()
              + ": reading "
              + spec.displayUrl()
              + (spec.fps() > 0 ? " at up to " + spec.fps() + " fps" : "")
              + ", tasks "
              + (spec.tasks().isEmpty() ? "(all installed)" : String.join(",", spec.tasks())));
    }
    status = "ok";
    readyNanos = System.nanoTime();
  }

  /**
   * Publishes the sources' results to the profile's MQTT broker, if it names one: discovery labels
   * from the installed bundles, the backbone card's name as the device model.
   */
  private void startMqtt() {
    Optional<MqttOptions> options =
        MqttOptions.of(
            profile.config().getMqtt(), profile.directory(), profile.config().getBoard());
    if (options.isEmpty()) {
      return;
    }
    MqttOptions o = options.get();
    mqtt =
        MqttPublisher.start(
            o, sources.hub(), this::labels, backbone.card().card().getName(), log::info);
    log.info(
        "mqtt: publishing to "
            + o.brokerUrl()
            + " as "
            + o.clientId()
            + ", states under "
            + o.topicPrefix()
            + "/SOURCE/TASK/state, discovery under "
            + o.discoveryPrefix());
  }

  /** The labels of installed task {@code name}; empty when it is not installed. */
  private List<String> labels(String name) {
    return control.tasks().getTasksList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .map(TaskInfo::getLabelsList)
        .map(List::copyOf)
        .orElse(List.of());
  }

  /** Frame inference on the engine, each backbone call counted like the queue's. */
  private FrameInference countedBatches(DaemonSettings settings) {
    FrameInference inference = FrameInference.of(engine, settings.maxPixels());
    return (encoded, tasks) -> {
      List<InferenceResult> results = inference.infer(encoded, tasks);
      if (!results.isEmpty()) {
        metrics.batch(results.size());
      }
      return results;
    };
  }

  private void pressed() {
    try {
      control.cycle().ifPresent(task -> log.info("button: active task is now " + task));
    } catch (RuntimeException e) {
      log.info("button: could not switch the task: " + e.getMessage());
      control.failed("button");
    }
  }

  /** The daemon's health now. */
  public Health health() {
    return Health.newBuilder()
        .setFormatVersion(1)
        .setStatus(status)
        .setBackbone(backbone == null ? "" : backbone.card().card().getName())
        .setActiveTask(engine == null ? "" : engine.active().orElse(""))
        .setUptimeSeconds((System.nanoTime() - startNanos) / 1_000_000_000L)
        .setLastUpdate(control == null ? "" : control.lastUpdate())
        .addAllStoreEvents(
            engine == null
                ? List.of()
                : engine.storeEvents().stream().map(StoreEvent::message).toList())
        .addAllQuarantinedSha256(
            engine == null
                ? List.of()
                : engine.store().trials().quarantined().stream()
                    .map(Trials.Quarantined::sha256)
                    .toList())
        .addAllTrialsPending(engine == null ? List.of() : engine.trialsPending())
        .build();
  }

  /** The address the API listens on. */
  public InetSocketAddress address() {
    return api.address();
  }

  /** Where task changes go (for components such as the update client). */
  public TaskControl control() {
    return control;
  }

  /**
   * The running frame sources (the profile's, and any added later); their results are in {@link
   * SourceManager#hub()}.
   */
  public SourceManager sources() {
    return sources;
  }

  /** The publisher of the sources' results, when the profile names an MQTT broker. */
  public Optional<MqttPublisher> mqtt() {
    return Optional.ofNullable(mqtt);
  }

  /** The daemon's metrics. */
  public Metrics metrics() {
    return metrics;
  }

  /** Milliseconds from {@link #start} being called until the API served. */
  public long startMillis() {
    return (readyNanos - startNanos) / 1_000_000L;
  }

  /**
   * The one line printed when the daemon is ready; names the address, start time, board, backbone,
   * active task, how uploads are checked and where updates come from.
   */
  public String readyLine() {
    InetSocketAddress a = address();
    Optional<Long> sinceProcess =
        ProcessHandle.current()
            .info()
            .startInstant()
            .map(t -> System.currentTimeMillis() - t.toEpochMilli());
    return "promptedged ready on http://"
        + a.getAddress().getHostAddress()
        + ":"
        + a.getPort()
        + " in "
        + startMillis()
        + " ms"
        + sinceProcess.map(ms -> " (process start to ready " + ms + " ms)").orElse("")
        + "; board "
        + profile.config().getBoard()
        + " ("
        + System.getProperty("os.arch")
        + "), backbone "
        + backbone.card().card().getName()
        + " ("
        + (profile.config().getUseQuantized() ? "int8" : "float")
        + " on "
        + engineKind.label()
        + "), active task "
        + engine.active().orElse("(none)")
        + ", "
        + engine.installed().size()
        + " installed; "
        + trust;
  }

  /**
   * Drains: refuses new requests, answers the queued ones, stops the API and the components, and
   * persists the active task. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    status = "draining";
    for (DaemonComponent component : components) {
      quietly(component::close);
    }
    if (mqtt != null) {
      quietly(mqtt::close);
    }
    if (sources != null) {
      quietly(sources::close);
    }
    if (queue != null) {
      queue.close();
    }
    if (api != null) {
      api.close(2);
    }
    quietly(panel::close);
    if (engine != null) {
      quietly(
          () ->
              engine
                  .active()
                  .filter(name -> !engine.store().active().equals(Optional.of(name)))
                  .ifPresent(engine.store()::setActive));
      engine.close();
    }
    if (backbone != null) {
      backbone.close();
    }
  }

  private void quietly(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.info("while stopping: " + e);
    }
  }
}
