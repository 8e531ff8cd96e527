package dev.promptedge.runtime.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** File operations the store's parts share: digests beside files, moving aside, name files. */
final class StoreFiles {

  /** What a file holding one task name says: the name, or why it names none. */
  record NameFile(Optional<String> name, Optional<String> problem) {}

  private final Path dir;

  StoreFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Writes {@code bytes} to {@code file} and then their SHA-256 to its {@code .sha256} twin. */
  void writeWithDigest(Path file, byte[] bytes) throws IOException {
    AtomicFiles.write(file, bytes);
    AtomicFiles.write(digestOf(file), (Sha256.hex(bytes) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Replaces {@code file} with one line by an atomic rename but without fsync: for hints such as
   * {@code ACTIVE.previous}, which a crash may lose (a reader then finds it missing or empty) but
   * never mixes up.
   */
  void writeHint(Path file, String line) throws IOException {
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), AtomicFiles.TEMP_SUFFIX);
    try {
      Files.writeString(temp, line + "\n", StandardCharsets.UTF_8);
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Deletes {@code file} and its digest, durably. */
  void deleteWithDigest(Path file) throws IOException {
    AtomicFiles.delete(file);
    AtomicFiles.delete(digestOf(file));
  }

  /** The digest file of {@code file}: {@code NAME.bundle} has {@code NAME.sha256}. */
  static Path digestOf(Path file) {
    String name = file.getFileName().toString();
    String stem =
        name.endsWith(BundleStore.SUFFIX)
            ? name.substring(0, name.length() - BundleStore.SUFFIX.length())
            : name;
    return file.resolveSibling(stem + BundleStore.DIGEST_SUFFIX);
  }

  /**
   * Moves {@code entry} into the store's sub-directory {@code area} under a fresh name, writes a
   * {@code .reason} file beside it and makes both durable; returns the new path.
   */
  Path moveInto(String area, Path entry, String reason) throws IOException {
    Path target = dir.resolve(area);
    Files.createDirectories(target);
    String base = entry.getFileName() + "." + Instant.now().toEpochMilli();
    Path moved = target.resolve(base);
    for (int i = 1; Files.exists(moved); i++) {
      moved = target.resolve(base + "-" + i);
    }
    Files.move(entry, moved);
    AtomicFiles.write(
        target.resolve(moved.getFileName() + ".reason"),
        (reason + "\n").getBytes(StandardCharsets.UTF_8));
    AtomicFiles.syncDirectory(entry.toAbsolutePath().getParent());
    return moved;
  }

  /** Reads a file that holds one task name matching {@code valid}. */
  NameFile readName(String fileName, Pattern valid) {
    Path file = dir.resolve(fileName);
    if (!Files.exists(file)) {
      return new NameFile(Optional.empty(), Optional.of(fileName + " does not exist"));
    }
    if (!Files.isRegularFile(file)) {
      return new NameFile(Optional.empty(), Optional.of(fileName + " is not a regular file"));
    }
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > 4096) {
        return new NameFile(Optional.empty(), Optional.of(fileName + " is too long"));
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString()
              .strip();
    } catch (CharacterCodingException e) {
      return new NameFile(Optional.empty(), Optional.of(fileName + " is not UTF-8 text"));
    } catch (IOException e) {
      return new NameFile(Optional.empty(), Optional.of(fileName + " cannot be read: " + e));
    }
    if (!valid.matcher(text).matches()) {
      return new NameFile(
          Optional.empty(),
          Optional.of(
              fileName
                  + (text.isEmpty() ? " is empty" : " does not hold a task name")
                  + " ("
                  + Math.min(text.length(), 64)
                  + " characters)"));
    }
    return new NameFile(Optional.of(text), Optional.empty());
  }

  /** A {@link StoreException} for a failed {@code what} (e.g. "write bundle 'x' to"). */
  StoreException failure(String what, IOException e) {
    return new StoreException("cannot " + what + " the bundle store " + dir + ": " + reason(e), e);
  }

  private static String reason(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (message != null && message.contains("No space left")) {
      return "No space left on device (free space on the disk of the store)";
    }
    return message == null ? kind : kind + ": " + message;
  }
}
