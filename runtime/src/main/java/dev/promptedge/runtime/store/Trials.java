package dev.promptedge.runtime.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Trial activation on disk (commit after boot, as RAUC and Mender do it): a new bundle is written
 * to {@code pending/NAME.bundle} before any native code runs it, the version it replaces is kept in
 * {@code previous/NAME.bundle} until the trial commits, and a bundle whose trial a crash cut short
 * is moved to {@code quarantine/SHA256.bundle} (with a {@code .reason} file) and never installed
 * again. Every step is durable when it returns; thread-safe (locks the store).
 *
 * <p>Deleting the {@code pending/} record is the one step that ends a trial: a {@code previous/}
 * copy without it belongs to a trial that ended (a crash cut its clean-up short) and is never
 * restored.
 */
public final class Trials {

  static final String PENDING = "pending";
  static final String PREVIOUS = "previous";
  static final String QUARANTINE = "quarantine";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * A bundle in quarantine.
   *
   * @param sha256 SHA-256 of its bytes, the key that refuses them again
   * @param name its task name
   * @param reason why it was quarantined
   */
  public record Quarantined(String sha256, String name, String reason) {}

  private final BundleStore store;
  private final StoreFiles files;

  Trials(BundleStore store, StoreFiles files) {
    this.store = store;
    this.files = files;
  }

  private Path pending(String name) {
    return area(PENDING).resolve(store.file(name).getFileName());
  }

  private Path previous(String name) {
    return area(PREVIOUS).resolve(store.file(name).getFileName());
  }

  private Path area(String area) {
    return files.dir().resolve(area);
  }

  /**
   * Records {@code bytes} as the trial of task {@code name}, durably; call it before the first
   * native call on them. A trial of the same task still open is committed first (it ran until a
   * newer version came).
   *
   * @throws StoreException when the disk refuses the write; nothing changed
   */
  public void begin(String name, byte[] bytes) {
    synchronized (store) {
      try {
        // Ends a trial still open, or drops the copy a trial that ended left behind.
        finish(name);
        files.writeWithDigest(pending(name), bytes);
      } catch (IOException e) {
        throw files.failure("record the trial of bundle '" + name + "' in", e);
      }
    }
  }

  /**
   * Keeps the installed version of {@code name} in {@code previous/} (unless a copy from this trial
   * exists already), before the store's file is replaced.
   *
   * @throws StoreException when the disk refuses the write
   */
  public void keepPrevious(String name) {
    synchronized (store) {
      try {
        Optional<byte[]> current = store.read(name);
        if (current.isPresent() && !Files.exists(previous(name))) {
          files.writeWithDigest(previous(name), current.get());
        }
      } catch (IOException e) {
        throw files.failure("keep the previous version of '" + name + "' in", e);
      }
    }
  }

  /**
   * Ends the trial of {@code name} with the installed file as it is (committed or refused): its
   * {@code pending/} record goes first, so that a crash before the {@code previous/} copy follows
   * leaves a trial that ended, never one without the version it replaced.
   */
  public void finish(String name) {
    synchronized (store) {
      try {
        files.deleteWithDigest(pending(name));
        files.deleteWithDigest(previous(name));
      } catch (IOException e) {
        throw files.failure("end the trial of '" + name + "' in", e);
      }
    }
  }

  /**
   * Undoes the trial of {@code name}: when the store's file holds the trial's bytes it gets the
   * previous version back (or is removed when there was none); then the trial ends. Returns what
   * happened, in words.
   */
  public String rollBack(String name) {
    synchronized (store) {
      try {
        Optional<byte[]> trial = read(pending(name));
        Optional<byte[]> current = store.read(name);
        String done = "the store still held the version before it";
        if (trial.isPresent() && current.isPresent() && Arrays.equals(trial.get(), current.get())) {
          Optional<byte[]> before = read(previous(name));
          if (before.isPresent()) {
            files.writeWithDigest(store.file(name), before.get());
            done = "restored the version before it";
          } else {
            leaveActive(name);
            files.deleteWithDigest(store.file(name));
            done = "removed the task (it had no version before)";
          }
        }
        finish(name);
        return done;
      } catch (IOException e) {
        throw files.failure("roll back the trial of '" + name + "' in", e);
      }
    }
  }

  /**
   * Points {@code ACTIVE} away from {@code name} before it is removed: the task before, or none.
   */
  private void leaveActive(String name) {
    if (store.active().filter(name::equals).isEmpty()) {
      return;
    }
    Optional<String> before =
        store.previousActive().filter(p -> !p.equals(name) && store.names().contains(p));
    if (before.isPresent()) {
      store.setActive(before.get());
    } else {
      store.clearActive();
    }
  }

  /**
   * Quarantines the trial of {@code name}: its bytes go to {@code quarantine/} under their SHA-256
   * with {@code reason}, then the trial is rolled back. Empty when {@code name} has no trial.
   */
  public Optional<Quarantined> quarantine(String name, String reason) {
    synchronized (store) {
      try {
        Optional<byte[]> trial = read(pending(name));
        if (trial.isEmpty()) {
          return Optional.empty();
        }
        String sha = Sha256.hex(trial.get());
        Path jail = area(QUARANTINE);
        AtomicFiles.write(jail.resolve(sha + BundleStore.SUFFIX), trial.get());
        AtomicFiles.write(
            jail.resolve(sha + ".reason"),
            (name + "\n" + reason + "\n").getBytes(StandardCharsets.UTF_8));
        String undone = rollBack(name);
        return Optional.of(new Quarantined(sha, name, reason + "; " + undone));
      } catch (IOException e) {
        throw files.failure("quarantine the trial of '" + name + "' in", e);
      }
    }
  }

  /** The bytes on trial for task {@code name}, if it has a trial. */
  public Optional<byte[]> trialBytes(String name) {
    synchronized (store) {
      try {
        return read(pending(name));
      } catch (IOException e) {
        throw files.failure("read the trial of '" + name + "' in", e);
      }
    }
  }

  /**
   * Whether {@code sha256} is the hash of task {@code name}'s trial or of the version it keeps in
   * {@code previous/}, each checked against its own digest file: the bytes a crash between writing
   * the store's file and writing its digest leaves behind.
   */
  boolean recordsVersion(String name, String sha256) {
    synchronized (store) {
      if (!Files.isRegularFile(pending(name))) {
        return false;
      }
      for (Path copy : List.of(pending(name), previous(name))) {
        try {
          Optional<byte[]> bytes = read(copy);
          Path digest = StoreFiles.digestOf(copy);
          if (bytes.isPresent()
              && Files.isRegularFile(digest)
              && Sha256.hex(bytes.get()).equals(sha256)
              && Files.readString(digest, StandardCharsets.ISO_8859_1).strip().equals(sha256)) {
            return true;
          }
        } catch (IOException e) {
          return false;
        }
      }
      return false;
    }
  }

  /** Names of the tasks with a trial on disk, sorted. */
  public List<String> pending() {
    synchronized (store) {
      List<String> names = new ArrayList<>();
      Path dir = area(PENDING);
      if (!Files.isDirectory(dir)) {
        return names;
      }
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*" + BundleStore.SUFFIX)) {
        for (Path file : list) {
          String fileName = file.getFileName().toString();
          String name = fileName.substring(0, fileName.length() - BundleStore.SUFFIX.length());
          if (Files.isRegularFile(file) && BundleStore.validName(name)) {
            names.add(name);
          }
        }
      } catch (IOException e) {
        throw files.failure("list the trials of", e);
      }
      names.sort(null);
      return names;
    }
  }

  /** Whether the bundle with SHA-256 {@code sha256} is in quarantine. */
  public boolean isQuarantined(String sha256) {
    return SHA256.matcher(sha256).matches()
        && Files.isRegularFile(area(QUARANTINE).resolve(sha256 + BundleStore.SUFFIX));
  }

  /** The bundles in quarantine, by SHA-256. */
  public List<Quarantined> quarantined() {
    synchronized (store) {
      List<Quarantined> all = new ArrayList<>();
      Path dir = area(QUARANTINE);
      if (!Files.isDirectory(dir)) {
        return all;
      }
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*.reason")) {
        for (Path file : list) {
          String fileName = file.getFileName().toString();
          String sha = fileName.substring(0, fileName.length() - ".reason".length());
          String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", 2);
          all.add(
              new Quarantined(sha, lines[0], lines.length > 1 ? lines[1].strip() : "(no reason)"));
        }
      } catch (IOException e) {
        throw files.failure("list the quarantine of", e);
      }
      all.sort(java.util.Comparator.comparing(Quarantined::sha256));
      return all;
    }
  }

  private static Optional<byte[]> read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
  }
}
