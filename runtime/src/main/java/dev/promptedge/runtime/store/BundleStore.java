package dev.promptedge.runtime.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The installed bundles on disk: one file per task name plus the name of the active task, every
 * write atomic and durable so that a crash or power loss never loses a working bundle. Thread-safe.
 */
public final class BundleStore {

  static final String SUFFIX = ".bundle";
  static final String ACTIVE = "ACTIVE";

  private final Path dir;

  private BundleStore(Path dir) {
    this.dir = dir;
  }

  /**
   * Opens (creating if needed) the store in {@code dir} and removes leftovers of interrupted
   * writes.
   */
  public static BundleStore open(Path dir) {
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> leftovers =
          Files.newDirectoryStream(dir, "*" + AtomicFiles.TEMP_SUFFIX)) {
        for (Path leftover : leftovers) {
          Files.deleteIfExists(leftover);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the bundle store " + dir + ": " + e, e);
    }
    return new BundleStore(dir);
  }

  /** The store's directory. */
  public Path directory() {
    return dir;
  }

  /** Stores (or replaces) the bundle file of task {@code name}. */
  public synchronized void put(String name, byte[] bytes) {
    try {
      AtomicFiles.write(file(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write bundle '" + name + "' to " + dir + ": " + e, e);
    }
  }

  /** The bundle file of task {@code name}, if installed. */
  public synchronized Optional<byte[]> read(String name) {
    try {
      return Optional.of(Files.readAllBytes(file(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundle '" + name + "' from " + dir + ": " + e, e);
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

  /** Names of the installed tasks, sorted. */
  public synchronized List<String> names() {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        names.add(fileName.substring(0, fileName.length() - SUFFIX.length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the bundle store " + dir + ": " + e, e);
    }
    names.sort(null);
    return names;
  }

  /** Removes task {@code name}; clears the active task too when it was that one. */
  public synchronized void delete(String name) {
    try {
      if (active().filter(name::equals).isPresent()) {
        AtomicFiles.delete(dir.resolve(ACTIVE));
      }
      AtomicFiles.delete(file(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete bundle '" + name + "' in " + dir + ": " + e, e);
    }
  }

  /** The task that was active when last persisted, if any. */
  public synchronized Optional<String> active() {
    try {
      String name = Files.readString(dir.resolve(ACTIVE), StandardCharsets.UTF_8).strip();
      return name.isEmpty() ? Optional.empty() : Optional.of(name);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the active task in " + dir + ": " + e, e);
    }
  }

  /** Forgets the active task. */
  public synchronized void clearActive() {
    try {
      AtomicFiles.delete(dir.resolve(ACTIVE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the active task in " + dir + ": " + e, e);
    }
  }

  /** Persists {@code name} as the active task. */
  public synchronized void setActive(String name) {
    try {
      AtomicFiles.write(dir.resolve(ACTIVE), (name + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the active task in " + dir + ": " + e, e);
    }
  }

  private Path file(String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
      throw new IllegalArgumentException("'" + name + "' is not a valid task name");
    }
    return dir.resolve(name + SUFFIX);
  }
}
