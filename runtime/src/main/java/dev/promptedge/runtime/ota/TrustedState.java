package dev.promptedge.runtime.ota;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.promptedge.format.Root;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.format.UpdateClientState;
import dev.promptedge.runtime.store.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata a device trusts and its time floor, persisted atomically in one file of the store
 * directory. Not thread-safe: the update client serializes checks.
 */
final class TrustedState {

  /** File name in the store directory. */
  static final String FILE = "ota-state";

  private final Path file;
  private UpdateClientState.Builder state;
  private UpdateClientState saved;

  private TrustedState(Path file, UpdateClientState state) {
    this.file = file;
    this.state = state.toBuilder();
    this.saved = state;
  }

  static TrustedState load(Path dir) {
    Path file = dir.resolve(FILE);
    UpdateClientState state;
    try {
      state = UpdateClientState.parseFrom(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      state =
          UpdateClientState.newBuilder().setFormatVersion(RepositoryLayout.FORMAT_VERSION).build();
    } catch (InvalidProtocolBufferException e) {
      throw corrupt(file, "it does not parse");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the update state " + file + ": " + e, e);
    }
    if (state.getFormatVersion() != RepositoryLayout.FORMAT_VERSION) {
      throw corrupt(file, "format_version " + state.getFormatVersion());
    }
    return new TrustedState(file, state);
  }

  /**
   * The targets role's keys of the root trusted in {@code dir}, by key id; none when it trusts no
   * root yet or its state is not readable.
   */
  static Map<String, PublicKey> targetsKeys(Path dir) {
    Optional<Metadata.Parsed<Root>> root;
    try {
      root = load(dir).root();
    } catch (RuntimeException e) {
      // No readable update state: the caller's pinned keys alone are trusted.
      return Map.of();
    }
    if (root.isEmpty()) {
      return Map.of();
    }
    Root r = root.get().payload();
    Map<String, PublicKey> ring = Metadata.keyring(r, "root v" + r.getVersion());
    Map<String, PublicKey> targets = new HashMap<>();
    for (String id : r.getTargets().getKeyIdsList()) {
      PublicKey key = ring.get(id);
      if (key != null) {
        targets.put(id, key);
      }
    }
    return targets;
  }

  private static UpdateException corrupt(Path file, String what) {
    return new UpdateException(
        "state",
        "the update state "
            + file
            + " is not readable ("
            + what
            + "): delete it to trust the profile's updates.trusted_keys again");
  }

  /** Writes the state when it changed since the last save. */
  void save() {
    UpdateClientState now = state.build();
    if (now.equals(saved)) {
      return;
    }
    try {
      AtomicFiles.write(file, now.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the update state " + file + ": " + e, e);
    }
    saved = now;
  }

  /** Raises the time floor to {@code epochSeconds}; returns max(floor, epochSeconds). */
  long observeTime(long epochSeconds) {
    if (epochSeconds > state.getTimeFloorEpochSeconds()) {
      state.setTimeFloorEpochSeconds(epochSeconds);
    }
    return state.getTimeFloorEpochSeconds();
  }

  /** Sets the time floor to {@code epochSeconds}, lower or higher (a new root's word). */
  void resetTimeFloor(long epochSeconds) {
    state.setTimeFloorEpochSeconds(epochSeconds);
  }

  long timeFloor() {
    return state.getTimeFloorEpochSeconds();
  }

  Optional<Metadata.Parsed<Root>> root() {
    return bytes(state.getRoot()).map(b -> Metadata.root(b, FILE + " (root)"));
  }

  Optional<Metadata.Parsed<Timestamp>> timestamp() {
    return bytes(state.getTimestamp()).map(b -> Metadata.timestamp(b, FILE + " (timestamp)"));
  }

  Optional<Metadata.Parsed<Snapshot>> snapshot() {
    return bytes(state.getSnapshot()).map(b -> Metadata.snapshot(b, FILE + " (snapshot)"));
  }

  Optional<Metadata.Parsed<Targets>> targets() {
    return bytes(state.getTargets()).map(b -> Metadata.targets(b, FILE + " (targets)"));
  }

  void setRoot(byte[] bytes) {
    state.setRoot(ByteString.copyFrom(bytes));
  }

  void setTimestamp(byte[] bytes) {
    state.setTimestamp(ByteString.copyFrom(bytes));
  }

  void setSnapshot(byte[] bytes) {
    state.setSnapshot(ByteString.copyFrom(bytes));
  }

  void setTargets(byte[] bytes) {
    state.setTargets(ByteString.copyFrom(bytes));
  }

  void clearTimestamp() {
    state.clearTimestamp();
  }

  void clearSnapshot() {
    state.clearSnapshot();
  }

  void clearTargets() {
    state.clearTargets();
  }

  private static Optional<byte[]> bytes(ByteString bytes) {
    return bytes.isEmpty() ? Optional.empty() : Optional.of(bytes.toByteArray());
  }
}
