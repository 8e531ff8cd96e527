package dev.promptedge.runtime.task;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.store.BundleStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One backbone, many tasks: installs bundles into the store, keeps them resident within a memory
 * budget, holds the active task and runs inference. Activating a task swaps one reference; an
 * inference in flight finishes with the bundle it started with. Thread-safe. Closing it closes the
 * head interpreters, not the backbone, which the caller owns.
 *
 * <pre>{@code
 * try (Backbone backbone = Backbone.open(card, true, config);
 *     TaskEngine engine = TaskEngine.open(backbone, BundleStore.open(dir), settings)) {
 *   engine.install(bytes);
 *   InferenceResult result = engine.infer(TaskRequest.active(image));
 * }
 * }</pre>
 */
public final class TaskEngine implements AutoCloseable {

  private final Backbone backbone;
  private final BundleStore store;
  private final EngineSettings settings;
  private final BundleReader reader;
  private final ResidentSet resident;
  private final BatchRunner runner;
  private final AtomicReference<ResidentBundle> active = new AtomicReference<>();
  private final ActiveTaskWriter activeWriter;
  private final Object changes = new Object();
  private volatile boolean closed;

  private TaskEngine(Backbone backbone, BundleStore store, EngineSettings settings) {
    this.backbone = backbone;
    this.store = store;
    this.settings = settings;
    this.reader = new BundleReader(backbone.card(), settings.maxBundleBytes());
    this.resident = new ResidentSet(settings.residentBudgetBytes());
    this.runner = new BatchRunner(backbone);
    this.activeWriter = new ActiveTaskWriter(store);
  }

  /**
   * Opens an engine over {@code store} and re-activates the task that was active when it was last
   * persisted, if it is still installed and valid.
   */
  public static TaskEngine open(Backbone backbone, BundleStore store, EngineSettings settings) {
    TaskEngine engine = new TaskEngine(backbone, store, settings);
    store.active().filter(store.names()::contains).ifPresent(engine::activate);
    return engine;
  }

  /**
   * Checks, self-tests and stores a serialized bundle and makes it resident. It becomes active when
   * no task is active or when it replaces the active task's bundle.
   *
   * @throws BundleException when the bundle is refused; the store and the active task are unchanged
   */
  public InstallResult install(byte[] bytes) {
    ensureOpen();
    Bundle bundle = reader.read(bytes);
    synchronized (changes) {
      Optional<Bundle> installed = installed(bundle.name());
      if (installed.isPresent()) {
        Bundle current = installed.get();
        if (current.version() == bundle.version()) {
          if (Arrays.equals(current.toBytes(), bytes)) {
            return new InstallResult(
                bundle.name(), bundle.version(), true, isActive(bundle.name()));
          }
          throw new BundleException(
              "version_reused",
              "bundle '"
                  + bundle.name()
                  + "' v"
                  + bundle.version()
                  + " is installed with different contents: give the new bundle a higher version");
        }
        if (current.version() > bundle.version()) {
          throw new BundleException(
              "rollback",
              "bundle '"
                  + bundle.name()
                  + "' v"
                  + bundle.version()
                  + " is older than the installed v"
                  + current.version()
                  + ": versions must increase");
        }
      }
      ResidentBundle loaded = load(bundle);
      try {
        SelfTest.check(runner, backbone, loaded);
        store.put(bundle.name(), bytes);
      } catch (RuntimeException e) {
        loaded.release();
        throw e;
      }
      ResidentBundle current = active.get();
      boolean activate = current == null || current.name().equals(bundle.name());
      loaded.retain();
      resident.add(loaded, activate ? bundle.name() : activeName());
      if (activate) {
        swapActive(loaded);
      } else {
        loaded.release();
      }
      return new InstallResult(bundle.name(), bundle.version(), false, activate);
    }
  }

  private Optional<Bundle> installed(String name) {
    return store.read(name).flatMap(this::readQuietly);
  }

  private Optional<Bundle> readQuietly(byte[] bytes) {
    try {
      return Optional.of(reader.read(bytes));
    } catch (BundleException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes task {@code name} active, loading it from the store when it is not resident, and persists
   * the choice.
   *
   * @throws BundleException with code {@code unknown_task} when no such task is installed
   */
  public void activate(String name) {
    ensureOpen();
    synchronized (changes) {
      swapActive(retain(name));
    }
  }

  /** Swaps the active pointer to {@code bundle}, whose reference the pointer takes over. */
  private void swapActive(ResidentBundle bundle) {
    ResidentBundle previous = active.getAndSet(bundle);
    activeWriter.request(bundle.name());
    if (previous != null) {
      previous.release();
    }
  }

  /**
   * Waits until the active task last chosen is durable on disk; an API acknowledges a switch after
   * this, a GPIO button need not wait.
   *
   * @throws IllegalStateException when persisting failed
   */
  public void awaitPersisted() throws InterruptedException {
    activeWriter.await();
  }

  /**
   * Uninstalls task {@code name}. The active task cannot be removed while others exist: activate
   * another first.
   */
  public void remove(String name) {
    ensureOpen();
    synchronized (changes) {
      if (!store.names().contains(name)) {
        throw unknownTask(name);
      }
      ResidentBundle current = active.get();
      if (current != null && current.name().equals(name)) {
        if (store.names().size() > 1) {
          throw new BundleException(
              "task_active",
              "task '" + name + "' is active: activate another task before removing it");
        }
        active.set(null);
        activeWriter.request(null);
        current.release();
      }
      resident.remove(name);
      store.delete(name);
    }
  }

  /** Runs one image through its task. */
  public InferenceResult infer(TaskRequest request) {
    return infer(List.of(request)).get(0);
  }

  /**
   * Runs several images, possibly for different tasks, through one backbone call; results are in
   * request order and each names the bundle that produced it.
   */
  public List<InferenceResult> infer(List<TaskRequest> requests) {
    ensureOpen();
    List<ResidentBundle> bundles = new ArrayList<>(requests.size());
    try {
      for (TaskRequest request : requests) {
        bundles.add(request.task().map(this::retain).orElseGet(this::retainActive));
      }
      return runner.run(requests, bundles);
    } finally {
      bundles.forEach(ResidentBundle::release);
    }
  }

  private ResidentBundle retainActive() {
    while (true) {
      ResidentBundle current = active.get();
      if (current == null) {
        throw new BundleException(
            "no_active_task", "no task is active: install a bundle or activate a task first");
      }
      if (current.retain()) {
        return current;
      }
    }
  }

  /** The resident bundle {@code name}, retained, loading it from the store when needed. */
  private ResidentBundle retain(String name) {
    ResidentBundle bundle = resident.retain(name);
    if (bundle != null) {
      return bundle;
    }
    synchronized (changes) {
      bundle = resident.retain(name);
      if (bundle != null) {
        return bundle;
      }
      byte[] bytes = store.read(name).orElseThrow(() -> unknownTask(name));
      ResidentBundle loaded = load(reader.read(bytes));
      loaded.retain();
      resident.add(loaded, activeName());
      return loaded;
    }
  }

  private ResidentBundle load(Bundle bundle) {
    PromptBundle b = bundle.bundle();
    HeadModel head = HeadModel.open(b, backbone.card(), settings.interpreter());
    try {
      return new ResidentBundle(
          bundle,
          backbone.completePrompts(BundleInputs.prompts(b)),
          head,
          PostProcessor.of(b, backbone.card()));
    } catch (RuntimeException e) {
      head.close();
      throw e;
    }
  }

  private BundleException unknownTask(String name) {
    return new BundleException(
        "unknown_task", "no task '" + name + "' is installed (installed: " + store.names() + ")");
  }

  private boolean isActive(String name) {
    return name.equals(activeName());
  }

  private String activeName() {
    ResidentBundle current = active.get();
    return current == null ? null : current.name();
  }

  /** The active task's name, if a task is active. */
  public Optional<String> active() {
    return Optional.ofNullable(activeName());
  }

  /** The active task's bundle, if a task is active. */
  public Optional<PromptBundle> activeBundle() {
    ResidentBundle current = active.get();
    return current == null ? Optional.empty() : Optional.of(current.bundle().bundle());
  }

  /** Names of the installed tasks, sorted. */
  public List<String> installed() {
    return store.names();
  }

  /** Names of the tasks resident in memory, least recently used first. */
  public List<String> resident() {
    return resident.names();
  }

  /** The backbone all tasks share. */
  public Backbone backbone() {
    return backbone;
  }

  /** The store bundles are installed into. */
  public BundleStore store() {
    return store;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("task engine is closed");
    }
  }

  @Override
  public void close() {
    synchronized (changes) {
      if (closed) {
        return;
      }
      closed = true;
      ResidentBundle current = active.getAndSet(null);
      if (current != null) {
        current.release();
      }
      resident.clear();
      activeWriter.close();
    }
  }
}
