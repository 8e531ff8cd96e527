package dev.promptedge.runtime.ota;

import dev.promptedge.format.Targets;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.trust.Ed25519Keys;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Takes bundle updates over the air: polls the profile's update repository, verifies its metadata
 * the way The Update Framework's client does (threshold signatures, root rotation, rollback,
 * freeze, mix-and-match, endless data, slow retrieval), and installs new bundles for this board and
 * backbone through the {@link TaskEngine}, whose self-test and atomic store keep the previous
 * bundle serving when anything fails. Trusted metadata lives in the store directory ({@code
 * ota-state}). Thread-safe; owns a poller thread once {@link #start()}ed, which {@link #close()}
 * stops. The engine stays owned by the caller.
 *
 * <pre>{@code
 * try (UpdateClient updates = UpdateClient.open(UpdateOptions.of(profile), engine, listener)) {
 *   updates.start();
 *   ...
 * }
 * }</pre>
 */
public final class UpdateClient implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(UpdateClient.class.getName());

  private final UpdateOptions options;
  private final TaskEngine engine;
  private final UpdateListener listener;
  private final Map<String, PublicKey> pinned;
  private final ScheduledExecutorService watchdog;
  private final Downloader downloader;
  private final BundleUpdate bundles;
  private final Object lock = new Object();
  private final Map<String, Long> rejections = new TreeMap<>();
  private long checks;
  private long installs;
  private volatile UpdateStatus status =
      new UpdateStatus(CheckResult.none(), 0, 0, java.util.Map.of());
  private Thread poller;
  private volatile boolean closed;

  private UpdateClient(
      UpdateOptions options,
      TaskEngine engine,
      UpdateListener listener,
      BundleInstaller installer) {
    this.options = options;
    this.engine = engine;
    this.listener = listener;
    this.pinned = Ed25519Keys.pinned(options.trustedKeys());
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "promptedge-ota-watchdog");
              t.setDaemon(true);
              return t;
            });
    this.downloader = new Downloader(options.channel(), options.limits(), watchdog);
    this.bundles =
        new BundleUpdate(
            engine, installer, downloader, options.limits(), options.board(), listener);
  }

  /**
   * A client for {@code engine}; nothing runs until {@link #start()} or {@link #checkOnce()}.
   *
   * @throws IllegalArgumentException when a pinned key is not a valid Ed25519 key with its id
   */
  public static UpdateClient open(
      UpdateOptions options, TaskEngine engine, UpdateListener listener) {
    return open(options, engine, listener, engine::install);
  }

  /**
   * A client for {@code engine} that installs through {@code installer} (e.g. the daemon's task
   * control); nothing runs until {@link #start()} or {@link #checkOnce()}.
   *
   * @throws IllegalArgumentException when a pinned key is not a valid Ed25519 key with its id
   */
  public static UpdateClient open(
      UpdateOptions options,
      TaskEngine engine,
      UpdateListener listener,
      BundleInstaller installer) {
    return new UpdateClient(options, engine, listener, installer);
  }

  /**
   * The keys of the targets role of the root the update client trusts in {@code storeDirectory}, by
   * key id: what a device trusts for uploaded bundles besides its pinned keys ({@link
   * dev.promptedge.runtime.trust.UploadTrust}). Empty while no root is trusted or the update state
   * is not readable.
   */
  public static Map<String, PublicKey> trustedTargetsKeys(Path storeDirectory) {
    return TrustedState.targetsKeys(storeDirectory);
  }

  /** Starts polling: a first check after a random part of the jitter, then every interval. */
  public void start() {
    synchronized (lock) {
      ensureOpen();
      if (poller != null) {
        return;
      }
      poller = new Thread(this::poll, "promptedge-ota");
      poller.setDaemon(true);
      poller.start();
    }
  }

  private void poll() {
    long delay = jitterMillis();
    while (!closed) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        return;
      }
      if (closed) {
        return;
      }
      try {
        checkOnce();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "update check failed: " + e, e);
      }
      delay = options.pollInterval().toMillis() + jitterMillis();
    }
  }

  private long jitterMillis() {
    long jitter = options.pollJitter().toMillis();
    return jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1);
  }

  /**
   * Runs one check now: metadata, then bundles. Refusals are reported in the result and the status,
   * never thrown.
   */
  public CheckResult checkOnce() {
    synchronized (lock) {
      ensureOpen();
      List<InstallResult> installed = new ArrayList<>();
      List<CheckResult.Skipped> skipped = new ArrayList<>();
      List<BundleUpdate.Refusal> refused = new ArrayList<>();
      try {
        TrustedState state = TrustedState.load(engine.store().directory());
        Targets targets =
            new MetadataUpdate(
                    downloader,
                    state,
                    pinned,
                    options.limits(),
                    options.maxClockAhead().getSeconds())
                .run(options.clock().instant().getEpochSecond());
        BundleUpdate.Applied applied = bundles.apply(targets);
        installed.addAll(applied.installed());
        skipped.addAll(applied.skipped());
        refused.addAll(applied.refused());
      } catch (UpdateException e) {
        refused.add(new BundleUpdate.Refusal(e.code(), e.getMessage(), true));
      } catch (RuntimeException e) {
        refused.add(new BundleUpdate.Refusal("internal", "update check failed: " + e, true));
      }
      CheckResult result = result(installed, skipped, refused);
      record(result, refused);
      return result;
    }
  }

  private CheckResult result(
      List<InstallResult> installed,
      List<CheckResult.Skipped> skipped,
      List<BundleUpdate.Refusal> refused) {
    Instant at = options.clock().instant();
    if (!refused.isEmpty()) {
      BundleUpdate.Refusal first = refused.get(0);
      return new CheckResult(at, false, first.code(), first.message(), installed, skipped);
    }
    String message =
        installed.isEmpty()
            ? "up to date"
            : "installed "
                + String.join(
                    ", ", installed.stream().map(r -> r.name() + " v" + r.version()).toList());
    return new CheckResult(at, true, "", message, installed, skipped);
  }

  private void record(CheckResult result, List<BundleUpdate.Refusal> refused) {
    checks++;
    installs += result.installed().size();
    List<BundleUpdate.Refusal> counted =
        refused.stream().filter(BundleUpdate.Refusal::counted).toList();
    for (BundleUpdate.Refusal refusal : counted) {
      rejections.merge(refusal.code(), 1L, Long::sum);
    }
    // The counters are published before the listener hears of a refusal, so whoever sees the
    // refusal (health, the log) also sees it counted in the metrics. The listener is the one place
    // a refusal is logged (in promptedged one "update refused (CODE): ..." line).
    status = new UpdateStatus(result, checks, installs, rejections);
    for (BundleUpdate.Refusal refusal : counted) {
      listener.refused(refusal.code(), refusal.message());
    }
    listener.checked(result);
  }

  /** Counters and the last result; does not wait for a check in flight. */
  public UpdateStatus status() {
    return status;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("update client is closed");
    }
  }

  /** Stops the poller (waiting for a check in flight) and the download watchdog. Idempotent. */
  @Override
  public void close() {
    Thread thread;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      thread = poller;
    }
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    watchdog.shutdownNow();
  }
}
