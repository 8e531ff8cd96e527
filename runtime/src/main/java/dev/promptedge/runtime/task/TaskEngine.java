package dev.promptedge.runtime.task;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.store.StoreException;
import dev.promptedge.runtime.store.Trials;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One backbone, many tasks: installs bundles into the store, keeps them resident within a memory
 * budget, holds the active task and runs inference. Activating a task swaps one reference, visible
 * to the next inference at once; an inference in flight finishes with the bundle it started with.
 * The choice is made durable ({@code ACTIVE}) afterwards by the engine's own writer thread, which
 * coalesces a burst of swaps into one write of the latest; {@link #switchTo} returns a future of
 * that acknowledgement and {@link #activate} waits for it. A write that fails switches back to the
 * task last made durable (unless a later choice replaced the failed one) and fails the
 * acknowledgement, so whoever answers a client on the acknowledgement never reports a choice a
 * restart would lose. A new bundle is installed on trial ({@link
 * dev.promptedge.runtime.store.Trials}), and it is durable before it serves: recorded before its
 * head interpreter exists, committed after {@link EngineSettings#trialInferences()} inferences,
 * {@link EngineSettings#trialTime()} or a clean {@link #close()}; an engine opened after a crash on
 * trial quarantines it and restores the version before. Thread-safe. Closing it writes the pending
 * choice, then closes the head interpreters, not the backbone, which the caller owns.
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
  private final TrialTracker trials;
  private final Object changes = new Object();
  private final ActiveWriter writer;
  private List<StoreEvent> storeEvents = List.of();

  /**
   * The task a failed write of {@code ACTIVE} switches back to: the one last made durable, or the
   * one chosen at start when its write failed; {@code fallbackSeq} is the writer's decision that
   * set it. Guarded by {@code changes}.
   */
  private String fallback;

  private long fallbackSeq;
  private volatile boolean closed;

  private TaskEngine(Backbone backbone, BundleStore store, EngineSettings settings) {
    this.backbone = backbone;
    this.store = store;
    this.settings = settings;
    this.reader = new BundleReader(backbone.card(), settings.maxBundleBytes());
    this.resident = new ResidentSet(settings.residentBudgetBytes());
    this.runner = new BatchRunner(backbone);
    this.trials =
        new TrialTracker(store.trials(), settings.trialInferences(), settings.trialTime());
    this.fallback = store.active().orElse(null);
    this.writer = new ActiveWriter(store, this::settled);
  }

  /**
   * Opens an engine over {@code store}: checks the store ({@link #storeEvents()} says what it moved
   * aside: bundles whose trial a crash cut short go to quarantine and their previous version comes
   * back, damaged files go to {@code damaged/}) and activates the task that was active when last
   * persisted, else the one active before it, else the first valid one.
   *
   * @throws dev.promptedge.runtime.store.StoreException when the store directory is unusable
   */
  public static TaskEngine open(Backbone backbone, BundleStore store, EngineSettings settings) {
    TaskEngine engine = new TaskEngine(backbone, store, settings);
    try {
      engine.start();
    } catch (RuntimeException e) {
      engine.writer.close();
      throw e;
    }
    return engine;
  }

  /** Checks the store and activates the task {@link #open} chooses. */
  private void start() {
    StoreCheck check = new StoreCheck(store, reader);
    List<String> valid = new ArrayList<>(check.run());
    while (true) {
      Optional<String> choice = check.choose(valid);
      if (choice.isEmpty()) {
        break;
      }
      try {
        activateAtStart(choice.get());
        break;
      } catch (BundleException e) {
        check.damaged(choice.get(), "refused when loaded (" + e.code() + "): " + e.getMessage());
        valid.remove(choice.get());
      } catch (StoreException e) {
        check.activationFailed(choice.get(), e.getMessage());
        break;
      }
    }
    storeEvents = List.copyOf(check.events());
  }

  /**
   * Activates {@code name} at start and writes it before the engine serves; a choice that cannot be
   * persisted still serves, and is what a later failed write switches back to.
   */
  private void activateAtStart(String name) {
    synchronized (changes) {
      ResidentBundle bundle = retain(name);
      swapActive(bundle);
      fallback = name;
      try {
        writer.writeNow(name);
      } finally {
        fallbackSeq = writer.latest();
      }
    }
  }

  /**
   * What the store check at {@link #open} found and did, one line each (quarantined, damaged,
   * active fallback); empty for a healthy store.
   */
  public List<StoreEvent> storeEvents() {
    return storeEvents;
  }

  /** Tasks whose bundle installed by this engine is still on trial (not committed), sorted. */
  public List<String> trialsPending() {
    return trials.names();
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
      if (InstallRules.alreadyInstalled(
          store, reader, bundle.name(), bundle.version(), Sha256.hex(bytes))) {
        return new InstallResult(bundle.name(), bundle.version(), true, isActive(bundle.name()));
      }
      return installOnTrial(bundle, bytes);
    }
  }

  /**
   * Applies the install rules to a bundle known only by its name, version and SHA-256 (an update's
   * targets entry, before its bytes are fetched): the rules {@link #install} applies again to the
   * bytes.
   *
   * @return true when exactly that bundle is installed already
   * @throws BundleException {@code rollback}, {@code version_reused} or {@code quarantined}
   */
  public boolean alreadyInstalled(String name, long version, String sha256) {
    ensureOpen();
    return InstallRules.alreadyInstalled(store, reader, name, version, sha256);
  }

  /**
   * Installs under a trial: the bytes are recorded as pending before the first native call on them,
   * the installed version is kept until the trial commits, and a refusal rolls it all back.
   */
  private InstallResult installOnTrial(Bundle bundle, byte[] bytes) {
    String name = bundle.name();
    Trials onDisk = store.trials();
    trials.drop(name);
    try {
      onDisk.begin(name, bytes);
    } catch (StoreException e) {
      throw storeFailed(e, "bundle '" + name + "' was not installed");
    }
    ResidentBundle loaded = null;
    ResidentBundle current = active.get();
    boolean activate = current == null || current.name().equals(name);
    try {
      loaded = load(bundle);
      BundleSelfTest.check(runner, backbone, loaded);
      onDisk.keepPrevious(name);
      store.put(name, bytes);
      if (activate) {
        writer.writeNow(name);
      }
    } catch (RuntimeException e) {
      if (loaded != null) {
        loaded.release();
      }
      try {
        onDisk.rollBack(name);
      } catch (StoreException undo) {
        e.addSuppressed(undo);
      }
      if (e instanceof StoreException s) {
        throw storeFailed(s, "bundle '" + name + "' was not installed");
      }
      throw e;
    }
    trials.started(name, bundle.version());
    if (activate) {
      fallback = name;
      fallbackSeq = writer.latest();
    }
    loaded.retain();
    resident.add(loaded, activate ? name : activeName());
    if (activate) {
      swapActive(loaded);
    } else {
      loaded.release();
    }
    return new InstallResult(name, bundle.version(), false, activate);
  }

  private static BundleException storeFailed(StoreException e, String outcome) {
    return new BundleException(
        "store_write_failed", e.getMessage() + "; " + outcome + ", nothing changed");
  }

  /**
   * Makes task {@code name} active and waits until the choice is durable: {@link #switchTo}, then
   * its acknowledgement. Inference uses {@code name} from the switch on, before this returns; what
   * answers a client (the API, the button) calls this, so that an acknowledged choice survives a
   * power cut.
   *
   * @throws BundleException with code {@code unknown_task} when no such task is installed (nothing
   *     switched), {@code store_write_failed} when the choice could not be persisted (the engine
   *     switched back to the task last made durable, unless a later choice replaced this one)
   */
  public void activate(String name) {
    CompletableFuture<Void> durable = switchTo(name);
    try {
      durable.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof BundleException failed) {
        // Thrown again here, so that the trace shows the caller and not the writer thread.
        BundleException here = new BundleException(failed.code(), failed.getMessage());
        here.initCause(failed);
        throw here;
      }
      throw e;
    }
  }

  /**
   * Makes task {@code name} active now, loading it from the store when it is not resident, and
   * hands the choice to the engine's writer: the next inference uses it; the returned future
   * completes once this choice or a later one is on disk, or fails with a {@link BundleException}
   * {@code store_write_failed} after the engine switched back to the task last made durable (when
   * no later choice replaced this one). A burst of switches costs one write of the latest.
   *
   * @throws BundleException with code {@code unknown_task} or {@code corrupt} when the task cannot
   *     be loaded; nothing switched
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<Void> switchTo(String name) {
    ensureOpen();
    synchronized (changes) {
      ensureOpen();
      swapActive(retain(name));
      return writer.submit(name);
    }
  }

  /**
   * How the writer's decision {@code seq} for {@code name} ended, on the writer thread: a success
   * moves the fallback forward; a failure switches back to the fallback when the pointer still
   * holds the failed choice and no later switch is queued, and becomes what its waiters fail with.
   */
  private RuntimeException settled(long seq, String name, RuntimeException failure) {
    synchronized (changes) {
      if (failure == null) {
        if (seq > fallbackSeq) {
          fallback = name;
          fallbackSeq = seq;
        }
        return null;
      }
      String outcome;
      if (closed) {
        outcome = "the engine closed with task " + name + " active";
      } else if (!writer.queued() && name.equals(activeName())) {
        try {
          swapActive(fallback == null ? null : retain(fallback));
          outcome = "the active task is still " + Optional.ofNullable(fallback).orElse("none");
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
          outcome =
              "task "
                  + name
                  + " stays active: switching back to "
                  + fallback
                  + " failed ("
                  + e.getMessage()
                  + ")";
        }
      } else {
        outcome =
            "a later choice made "
                + Optional.ofNullable(activeName()).orElse("no task")
                + " active; its write is pending";
      }
      return new BundleException(
          "store_write_failed",
          failure.getMessage() + "; " + outcome + ", nothing changed on disk");
    }
  }

  /**
   * Swaps the active pointer to {@code bundle} (null: none), whose reference the pointer takes
   * over.
   */
  private void swapActive(ResidentBundle bundle) {
    ResidentBundle previous = active.getAndSet(bundle);
    if (previous != null) {
      previous.release();
    }
  }

  /**
   * Uninstalls task {@code name}. The active task cannot be removed while others exist: activate
   * another first. A switch still waiting for its write is made durable before the removal.
   *
   * @throws BundleException {@code unknown_task}, {@code task_active}, or {@code
   *     store_write_failed} when the disk refused a write (the task is still installed)
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
        try {
          writer.writeNow(null);
        } catch (StoreException e) {
          throw storeFailed(e, "task '" + name + "' is still installed and active");
        }
        fallback = null;
        fallbackSeq = writer.latest();
        active.set(null);
        current.release();
      } else {
        // Make the current choice durable first (no write when ACTIVE names it already): no
        // earlier write can then name the removed task, nor a failed one switch back to it.
        String now = activeName();
        try {
          writer.writeNow(now);
        } catch (StoreException e) {
          throw storeFailed(e, "task '" + name + "' is still installed");
        }
        fallback = now;
        fallbackSeq = writer.latest();
      }
      resident.remove(name);
      trials.drop(name);
      try {
        store.trials().finish(name);
        store.delete(name);
      } catch (StoreException e) {
        throw storeFailed(e, "task '" + name + "' is not removed");
      }
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
      List<InferenceResult> results = runner.run(requests, bundles);
      bundles.forEach(trials::served);
      return results;
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
      Optional<String> damage = new StoreCheck(store, reader).problem(name, bytes);
      if (damage.isPresent()) {
        throw new BundleException(
            "corrupt",
            "the stored bundle of task '"
                + name
                + "' is damaged: "
                + damage.get()
                + "; install it again");
      }
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

  /**
   * Writes the pending choice of the active task (its waiters are answered), commits this engine's
   * trials and closes the head interpreters. Idempotent; every other method fails after it.
   */
  @Override
  public void close() {
    synchronized (changes) {
      if (closed) {
        return;
      }
      closed = true;
    }
    writer.close();
    synchronized (changes) {
      trials.close();
      ResidentBundle current = active.getAndSet(null);
      if (current != null) {
        current.release();
      }
      resident.clear();
    }
  }
}
