package dev.promptedge.runtime.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The installed bundles on disk, every write atomic and durable so that a crash or power loss never
 * loses a working bundle. Thread-safe. Layout of the directory:
 *
 * <ul>
 *   <li>{@code NAME.bundle} the bytes of task NAME, {@code NAME.sha256} their SHA-256 (written
 *       after the bundle; checked when the bundle is loaded)
 *   <li>{@code ACTIVE} the active task's name, {@code ACTIVE.previous} the one active before it
 *   <li>{@code pending/}, {@code previous/}, {@code quarantine/}: bundles on trial, the versions
 *       they replaced, and bundles that crashed the device on trial ({@link Trials})
 *   <li>{@code damaged/} files that failed their checks at start, moved aside with a {@code
 *       .reason} file
 * </ul>
 */
public final class BundleStore {

  static final String SUFFIX = ".bundle";
  static final String DIGEST_SUFFIX = ".sha256";
  static final String ACTIVE = "ACTIVE";
  static final String PREVIOUS_ACTIVE = "ACTIVE.previous";
  static final String DAMAGED = "damaged";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,127}");

  private final Path dir;
  private final StoreFiles files;
  private final Trials trials;

  private BundleStore(Path dir) {
    this.dir = dir;
    this.files = new StoreFiles(dir);
    this.trials = new Trials(this, files);
  }

  /**
   * Opens (creating if needed) the store in {@code dir} and removes leftovers of interrupted
   * writes.
   *
   * @throws StoreException when the directory cannot be created or read
   */
  public static BundleStore open(Path dir) {
    StoreFiles files = new StoreFiles(dir);
    try {
      Files.createDirectories(dir);
      for (String sub : List.of("", Trials.PENDING, Trials.PREVIOUS, Trials.QUARANTINE, DAMAGED)) {
        Path area = dir.resolve(sub);
        if (!Files.isDirectory(area)) {
          continue;
        }
        try (DirectoryStream<Path> leftovers =
            Files.newDirectoryStream(area, "*" + AtomicFiles.TEMP_SUFFIX)) {
          for (Path leftover : leftovers) {
            Files.deleteIfExists(leftover);
          }
        }
      }
    } catch (IOException e) {
      throw files.failure("open", e);
    }
    return new BundleStore(dir);
  }

  /** The store's directory. */
  public Path directory() {
    return dir;
  }

  /** Trial activations: pending bundles, the versions they replace, the quarantine. */
  public Trials trials() {
    return trials;
  }

  /**
   * Stores (or replaces) the bundle file of task {@code name} and its SHA-256.
   *
   * @throws StoreException when the disk refuses the write; the previous file is intact
   */
  public synchronized void put(String name, byte[] bytes) {
    try {
      files.writeWithDigest(file(name), bytes);
    } catch (IOException e) {
      throw files.failure("write bundle '" + name + "' to", e);
    }
  }

  /** The bundle file of task {@code name}, if installed (not checked against its digest). */
  public synchronized Optional<byte[]> read(String name) {
    if (!validName(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(file(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw files.failure("read bundle '" + name + "' from", e);
    }
  }

  /**
   * Why the stored bytes {@code bytes} of {@code name} do not match the SHA-256 recorded when they
   * were stored, or empty when they do. A bundle stored before digests were recorded gets its
   * digest recorded now, and so does one whose bytes are a version its trial records (a crash cut
   * the write between the file and its digest).
   */
  public synchronized Optional<String> digestProblem(String name, byte[] bytes) {
    Path digest = dir.resolve(name + DIGEST_SUFFIX);
    String actual = Sha256.hex(bytes);
    try {
      if (!Files.isRegularFile(digest)) {
        AtomicFiles.write(digest, (actual + "\n").getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
      }
      String recorded = Files.readString(digest, StandardCharsets.ISO_8859_1).strip();
      if (!recorded.equals(actual) && trials.recordsVersion(name, actual)) {
        // The file was replaced by a version the trial records, and the process died before the
        // digest followed: finish that write.
        AtomicFiles.write(digest, (actual + "\n").getBytes(StandardCharsets.UTF_8));
        return Optional.empty();
      }
      return recorded.equals(actual)
          ? Optional.empty()
          : Optional.of(
              "its bytes hash to "
                  + actual.substring(0, 12)
                  + "… but "
                  + digest.getFileName()
                  + " records "
                  + (recorded.length() > 12 ? recorded.substring(0, 12) + "…" : recorded)
                  + " (changed on disk since it was stored)");
    } catch (IOException e) {
      return Optional.of("its digest could not be read or recorded: " + e);
    }
  }

  /** Size in bytes of the bundle file of task {@code name}, or -1 when not installed. */
  public synchronized long size(String name) {
    try {
      return Files.size(file(name));
    } catch (IOException e) {
      return -1;
    }
  }

  /** Names of the installed tasks (regular files {@code NAME.bundle}), sorted. */
  public synchronized List<String> names() {
    List<String> names = new ArrayList<>();
    for (Path file : entries()) {
      String stem = stem(file);
      if (Files.isRegularFile(file) && NAME.matcher(stem).matches()) {
        names.add(stem);
      }
    }
    names.sort(null);
    return names;
  }

  /** Entries named {@code *.bundle} that are not installed bundles (directories, odd names). */
  public synchronized List<Path> junk() {
    List<Path> junk = new ArrayList<>();
    for (Path file : entries()) {
      if (!Files.isRegularFile(file) || !NAME.matcher(stem(file)).matches()) {
        junk.add(file);
      }
    }
    return junk;
  }

  private List<Path> entries() {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      list.forEach(entries::add);
    } catch (IOException e) {
      throw files.failure("list", e);
    }
    return entries;
  }

  private static String stem(Path file) {
    String fileName = file.getFileName().toString();
    return fileName.substring(0, fileName.length() - SUFFIX.length());
  }

  /**
   * Moves task {@code name}'s bundle (and its digest) to {@code damaged/} with {@code reason}, so
   * that it is no longer installed; returns where it went.
   */
  public synchronized Path moveAside(String name, String reason) {
    Path target = moveAside(file(name), reason);
    try {
      Path digest = dir.resolve(name + DIGEST_SUFFIX);
      if (Files.exists(digest)) {
        Files.move(digest, target.resolveSibling(target.getFileName() + DIGEST_SUFFIX));
      }
    } catch (IOException e) {
      throw files.failure("move the digest of '" + name + "' aside in", e);
    }
    return target;
  }

  /** Moves {@code entry} (a file or directory in the store) to {@code damaged/} with a reason. */
  public synchronized Path moveAside(Path entry, String reason) {
    try {
      return files.moveInto(DAMAGED, entry, reason);
    } catch (IOException e) {
      throw files.failure("move " + entry.getFileName() + " aside in", e);
    }
  }

  /** Removes task {@code name}; clears the active task too when it was that one. */
  public synchronized void delete(String name) {
    try {
      if (active().filter(name::equals).isPresent()) {
        AtomicFiles.delete(dir.resolve(ACTIVE));
      }
      AtomicFiles.delete(file(name));
      AtomicFiles.delete(dir.resolve(name + DIGEST_SUFFIX));
    } catch (IOException e) {
      throw files.failure("delete bundle '" + name + "' in", e);
    }
  }

  /** The task that was active when last persisted, if {@code ACTIVE} names one. */
  public synchronized Optional<String> active() {
    return files.readName(ACTIVE, NAME).name();
  }

  /** The task that was active before the one in {@code ACTIVE}, if recorded. */
  public synchronized Optional<String> previousActive() {
    return files.readName(PREVIOUS_ACTIVE, NAME).name();
  }

  /**
   * Why {@code ACTIVE} names no task: missing, a directory, not UTF-8, or not a task name; empty
   * when it names one.
   */
  public synchronized Optional<String> activeProblem() {
    return files.readName(ACTIVE, NAME).problem();
  }

  /** Forgets the active task. */
  public synchronized void clearActive() {
    try {
      AtomicFiles.delete(dir.resolve(ACTIVE));
    } catch (IOException e) {
      throw files.failure("clear the active task in", e);
    }
  }

  /**
   * Persists {@code name} as the active task (and the task it replaces as the previous one);
   * durable when it returns.
   *
   * @throws StoreException when the disk refuses the write; {@code ACTIVE} is unchanged
   */
  public synchronized void setActive(String name) {
    Path active = dir.resolve(ACTIVE);
    try {
      if (Files.isDirectory(active)) {
        files.moveInto(DAMAGED, active, "ACTIVE was a directory");
      }
      Optional<String> before = active();
      if (before.isPresent() && !before.get().equals(name)) {
        files.writeHint(dir.resolve(PREVIOUS_ACTIVE), before.get());
      }
      AtomicFiles.write(active, (name + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw files.failure("persist the active task '" + name + "' in", e);
    }
  }

  Path file(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid task name");
    }
    return dir.resolve(name + SUFFIX);
  }

  static boolean validName(String name) {
    return NAME.matcher(name).matches();
  }
}
