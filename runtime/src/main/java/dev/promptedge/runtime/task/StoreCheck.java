package dev.promptedge.runtime.task;

import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.store.Trials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store check an engine runs when it opens, so that start-up never depends on one file:
 * quarantines bundles whose trial a crash cut short (restoring the version before), moves aside
 * junk named {@code *.bundle} and every bundle that fails its digest, the reader's checks or whose
 * name inside is not its file name, and chooses the task to activate. Each finding is one {@link
 * StoreEvent}.
 */
final class StoreCheck {

  static final String CRASHED =
      "the daemon stopped while it was on trial (it crashed, or was killed, before the bundle"
          + " committed)";

  private final BundleStore store;
  private final BundleReader reader;
  private final List<StoreEvent> events = new ArrayList<>();

  StoreCheck(BundleStore store, BundleReader reader) {
    this.store = store;
    this.reader = reader;
  }

  List<StoreEvent> events() {
    return events;
  }

  /** Runs the checks; returns the installed tasks that passed them. */
  List<String> run() {
    Trials trials = store.trials();
    for (String name : trials.pending()) {
      String who = describe(name, trials.trialBytes(name).orElse(new byte[0]));
      trials
          .quarantine(name, CRASHED)
          .ifPresent(
              q ->
                  events.add(
                      new StoreEvent(
                          StoreEvent.QUARANTINED,
                          name,
                          "quarantined "
                              + who
                              + " (sha256 "
                              + q.sha256().substring(0, 12)
                              + "…): "
                              + q.reason()
                              + "; it is refused from now on")));
    }
    for (Path junk : store.junk()) {
      Path moved = store.moveAside(junk, "not a bundle file");
      events.add(
          new StoreEvent(
              StoreEvent.DAMAGED,
              junk.getFileName().toString(),
              "moved " + junk.getFileName() + " (not a bundle file) aside to " + moved));
    }
    List<String> valid = new ArrayList<>();
    for (String name : store.names()) {
      Optional<String> problem = problem(name);
      if (problem.isPresent()) {
        damaged(name, problem.get());
      } else {
        valid.add(name);
      }
    }
    return valid;
  }

  /** Moves bundle {@code name} aside as damaged because of {@code problem}, logged. */
  void damaged(String name, String problem) {
    Path moved = store.moveAside(name, problem);
    events.add(
        new StoreEvent(
            StoreEvent.DAMAGED,
            name,
            "moved the bundle of task '"
                + name
                + "' aside to "
                + moved
                + ": "
                + problem
                + "; the other tasks still serve, install it again"));
  }

  /** What is wrong with the stored bundle {@code name}, or empty when it passes every check. */
  Optional<String> problem(String name) {
    Optional<byte[]> bytes = store.read(name);
    if (bytes.isEmpty()) {
      return Optional.of("the file vanished");
    }
    return problem(name, bytes.get());
  }

  /**
   * What is wrong with {@code bytes} read from the store as the bundle of {@code name}: its digest,
   * the reader's checks, its name inside; empty when it passes them. The one check of a bundle
   * reloaded from the store, at start and when an evicted task is loaded again.
   */
  Optional<String> problem(String name, byte[] bytes) {
    return store.digestProblem(name, bytes).or(() -> check(name, bytes));
  }

  /** Why {@code bytes} cannot be the bundle of {@code name}, or empty when they can. */
  private Optional<String> check(String name, byte[] bytes) {
    Bundle bundle;
    try {
      bundle = reader.read(bytes);
    } catch (BundleException e) {
      return Optional.of("refused (" + e.code() + "): " + e.getMessage());
    }
    if (!bundle.name().equals(name)) {
      return Optional.of(
          "the file "
              + name
              + BundleReader.SUFFIX
              + " holds bundle '"
              + bundle.name()
              + "' v"
              + bundle.version()
              + ", not '"
              + name
              + "'");
    }
    return Optional.empty();
  }

  /**
   * The task to activate among {@code valid}: the one {@code ACTIVE} names, else the previous
   * active task, else the first valid one; a fallback is one event.
   */
  Optional<String> choose(List<String> valid) {
    Optional<String> active = store.active();
    if (active.isPresent() && valid.contains(active.get())) {
      return active;
    }
    if (valid.isEmpty()) {
      if (active.isPresent()) {
        try {
          store.clearActive();
        } catch (RuntimeException e) {
          // Best effort: with no valid task the name in ACTIVE is ignored anyway.
        }
        events.add(
            new StoreEvent(
                StoreEvent.ACTIVE,
                active.get(),
                "ACTIVE names task '"
                    + active.get()
                    + "', which is not installed: no task active"));
      }
      return Optional.empty();
    }
    String why =
        active
            .map(a -> "ACTIVE names task '" + a + "', which is not installed or was moved aside")
            .orElseGet(() -> store.activeProblem().orElse("ACTIVE names no task"));
    Optional<String> previous = store.previousActive().filter(valid::contains);
    String chosen = previous.orElse(valid.get(0));
    events.add(
        new StoreEvent(
            StoreEvent.ACTIVE,
            chosen,
            why
                + ": activating '"
                + chosen
                + "' ("
                + (previous.isPresent() ? "the task active before" : "the first valid task")
                + ")"));
    return Optional.of(chosen);
  }

  /** A failed start-up activation of {@code name}, logged. */
  void activationFailed(String name, String message) {
    events.add(
        new StoreEvent(
            StoreEvent.ACTIVE, name, "could not activate '" + name + "' at start: " + message));
  }

  private static String describe(String name, byte[] bytes) {
    try {
      Bundle b = BundleReader.parse(bytes, Long.MAX_VALUE);
      return "bundle '" + b.name() + "' v" + b.version();
    } catch (BundleException e) {
      return "the bundle of task '" + name + "' (" + Sha256.hex(bytes).substring(0, 12) + "…)";
    }
  }
}
