package dev.promptedge.runtime.ota;

import dev.promptedge.format.MetaFile;
import dev.promptedge.format.RoleKeys;
import dev.promptedge.format.Root;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.store.Sha256;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

/**
 * TUF's client workflow for the four roles: root chain, timestamp, snapshot, targets, each checked
 * for signatures, rollback, freeze and consistency with its parent. Not thread-safe.
 *
 * <p>Time: expiry is checked against the time floor, max(device clock, newest trusted issue time),
 * so a device whose clock is set back still refuses frozen metadata. A signed issue time more than
 * {@code maxAheadSeconds} past that floor is refused (code {@code clock_ahead}) before anything is
 * stored, so one validly signed but far-future file cannot raise the floor and expire every later
 * update; a new root resets the floor to max(device clock, its issue time), which is how a device
 * whose floor was raised by such a file recovers.
 */
final class MetadataUpdate {

  /** Most root versions walked in one check. */
  static final int MAX_ROOT_ROTATIONS = 64;

  private final Downloader downloader;
  private final TrustedState state;
  private final Map<String, PublicKey> pinned;
  private final DownloadLimits limits;
  private final long maxAheadSeconds;
  private long clock;

  MetadataUpdate(
      Downloader downloader,
      TrustedState state,
      Map<String, PublicKey> pinned,
      DownloadLimits limits,
      long maxAheadSeconds) {
    this.downloader = downloader;
    this.state = state;
    this.pinned = pinned;
    this.limits = limits;
    this.maxAheadSeconds = maxAheadSeconds;
  }

  /**
   * Brings the trusted metadata up to date and returns the trusted targets. Whatever verified is
   * persisted, also when a later step fails.
   */
  Targets run(long nowEpochSeconds) {
    try {
      clock = nowEpochSeconds;
      state.observeTime(clock);
      Root root = updateRoot();
      long now = state.timeFloor();
      Timestamp timestamp = updateTimestamp(root, now);
      Snapshot snapshot = updateSnapshot(root, timestamp, now);
      return updateTargets(root, snapshot, now);
    } finally {
      state.save();
    }
  }

  private Root updateRoot() {
    Metadata.Parsed<Root> trusted = state.root().orElse(null);
    if (trusted == null) {
      String file = RepositoryLayout.root(1);
      Metadata.Parsed<Root> first =
          Metadata.root(downloader.fetch(file, limits.maxMetadataBytes()), file);
      RoleKeys keys = first.payload().getRoot();
      Metadata.verify(
          first.envelope(),
          pinned,
          keys.getKeyIdsList(),
          keys.getThreshold(),
          file + " (against the profile's updates.trusted_keys)");
      if (first.payload().getVersion() != 1) {
        throw mismatch(file + " holds root version " + first.payload().getVersion());
      }
      trusted = first;
      state.setRoot(first.bytes());
    }
    for (int i = 0; i < MAX_ROOT_ROTATIONS; i++) {
      Root current = trusted.payload();
      String file = RepositoryLayout.root(current.getVersion() + 1);
      Optional<byte[]> bytes = downloader.fetchIfPresent(file, limits.maxMetadataBytes());
      if (bytes.isEmpty()) {
        break;
      }
      Metadata.Parsed<Root> next = Metadata.root(bytes.get(), file);
      Metadata.verify(
          next, current, current.getRoot(), file + " (by root v" + current.getVersion() + " keys)");
      Metadata.verify(next, next.payload(), next.payload().getRoot(), file + " (by its own keys)");
      if (next.payload().getVersion() != current.getVersion() + 1) {
        throw new UpdateException(
            "rollback", file + " holds root version " + next.payload().getVersion() + ": refused");
      }
      checkAhead(file, next.payload().getIssuedEpochSeconds());
      resetRotatedRoles(current, next.payload());
      trusted = next;
      state.setRoot(next.bytes());
      // The root keys are the most trusted: their newest word on the time replaces a floor that
      // an earlier, too-far-ahead file may have raised.
      state.resetTimeFloor(Math.max(clock, next.payload().getIssuedEpochSeconds()));
    }
    Root root = trusted.payload();
    checkExpiry("root v" + root.getVersion(), root.getExpiresEpochSeconds(), state.timeFloor());
    return root;
  }

  /** Fast-forward recovery: forget metadata whose signing keys changed. */
  private void resetRotatedRoles(Root old, Root next) {
    if (changed(old.getTargets(), next.getTargets())) {
      state.clearTargets();
    }
    if (changed(old.getSnapshot(), next.getSnapshot())) {
      state.clearSnapshot();
      state.clearTimestamp();
    }
    if (changed(old.getTimestamp(), next.getTimestamp())) {
      state.clearTimestamp();
    }
  }

  private static boolean changed(RoleKeys a, RoleKeys b) {
    return !new HashSet<>(a.getKeyIdsList()).equals(new HashSet<>(b.getKeyIdsList()));
  }

  private Timestamp updateTimestamp(Root root, long now) {
    String file = RepositoryLayout.TIMESTAMP;
    Metadata.Parsed<Timestamp> fresh =
        Metadata.timestamp(downloader.fetch(file, limits.maxMetadataBytes()), file);
    Metadata.verify(fresh, root, root.getTimestamp(), file);
    Timestamp t = fresh.payload();
    Optional<Metadata.Parsed<Timestamp>> trusted = state.timestamp();
    if (trusted.isPresent()) {
      Timestamp old = trusted.get().payload();
      rollback(file, "timestamp", t.getVersion(), old.getVersion());
      rollback(file, "snapshot", t.getSnapshot().getVersion(), old.getSnapshot().getVersion());
    }
    checkExpiry(file + " v" + t.getVersion(), t.getExpiresEpochSeconds(), now);
    checkAhead(file + " v" + t.getVersion(), t.getIssuedEpochSeconds());
    state.setTimestamp(fresh.bytes());
    state.observeTime(t.getIssuedEpochSeconds());
    return t;
  }

  private Snapshot updateSnapshot(Root root, Timestamp timestamp, long now) {
    MetaFile meta = timestamp.getSnapshot();
    String file = RepositoryLayout.snapshot(meta.getVersion());
    Optional<Metadata.Parsed<Snapshot>> trusted = state.snapshot();
    Metadata.Parsed<Snapshot> fresh;
    if (trusted.isPresent() && matches(trusted.get().bytes(), meta)) {
      fresh = trusted.get();
    } else {
      fresh = Metadata.snapshot(fetchMeta(file, meta, "timestamp"), file);
      Metadata.verify(fresh, root, root.getSnapshot(), file);
    }
    Snapshot s = fresh.payload();
    if (s.getVersion() != meta.getVersion()) {
      throw mismatch(
          file + " holds version " + s.getVersion() + " but timestamp names " + meta.getVersion());
    }
    if (trusted.isPresent()) {
      Snapshot old = trusted.get().payload();
      rollback(file, "snapshot", s.getVersion(), old.getVersion());
      rollback(file, "targets", s.getTargets().getVersion(), old.getTargets().getVersion());
    }
    checkExpiry(file, s.getExpiresEpochSeconds(), now);
    checkAhead(file, s.getIssuedEpochSeconds());
    state.setSnapshot(fresh.bytes());
    state.observeTime(s.getIssuedEpochSeconds());
    return s;
  }

  private Targets updateTargets(Root root, Snapshot snapshot, long now) {
    MetaFile meta = snapshot.getTargets();
    String file = RepositoryLayout.targets(meta.getVersion());
    Optional<Metadata.Parsed<Targets>> trusted = state.targets();
    Metadata.Parsed<Targets> fresh;
    if (trusted.isPresent() && matches(trusted.get().bytes(), meta)) {
      fresh = trusted.get();
    } else {
      fresh = Metadata.targets(fetchMeta(file, meta, "snapshot"), file);
      Metadata.verify(fresh, root, root.getTargets(), file);
    }
    Targets t = fresh.payload();
    if (t.getVersion() != meta.getVersion()) {
      throw mismatch(
          file + " holds version " + t.getVersion() + " but snapshot names " + meta.getVersion());
    }
    if (trusted.isPresent()) {
      rollback(file, "targets", t.getVersion(), trusted.get().payload().getVersion());
    }
    checkExpiry(file, t.getExpiresEpochSeconds(), now);
    checkAhead(file, t.getIssuedEpochSeconds());
    state.setTargets(fresh.bytes());
    state.observeTime(t.getIssuedEpochSeconds());
    return t;
  }

  private byte[] fetchMeta(String file, MetaFile meta, String parent) {
    if (meta.getLength() > limits.maxMetadataBytes()) {
      throw new UpdateException(
          "too_large",
          parent
              + " declares "
              + file
              + " as "
              + meta.getLength()
              + " bytes, over the metadata cap of "
              + limits.maxMetadataBytes()
              + ": refused");
    }
    byte[] bytes = downloader.fetch(file, meta.getLength());
    if (!matches(bytes, meta)) {
      throw mismatch(
          file
              + " ("
              + bytes.length
              + " bytes) does not match the length and SHA-256 "
              + parent
              + " gives");
    }
    return bytes;
  }

  private static boolean matches(byte[] bytes, MetaFile meta) {
    return bytes.length == meta.getLength() && Sha256.hex(bytes).equals(meta.getSha256());
  }

  private static void rollback(String file, String what, long fresh, long trusted) {
    if (fresh < trusted) {
      throw new UpdateException(
          "rollback",
          file
              + " offers "
              + what
              + " version "
              + fresh
              + ", older than the trusted version "
              + trusted
              + ": refused");
    }
  }

  private static void checkExpiry(String what, long expires, long now) {
    if (expires <= now) {
      throw new UpdateException(
          "expired",
          what
              + " expired at "
              + java.time.Instant.ofEpochSecond(expires)
              + " (device time at least "
              + java.time.Instant.ofEpochSecond(now)
              + "): refused; the publisher must run promptedge repo publish");
    }
  }

  /** Refuses a file signed more than the tolerance after max(device clock, time floor). */
  private void checkAhead(String what, long issued) {
    long reference = Math.max(clock, state.timeFloor());
    if (issued - reference > maxAheadSeconds) {
      throw new UpdateException(
          "clock_ahead",
          what
              + " was signed at "
              + java.time.Instant.ofEpochSecond(issued)
              + ", more than "
              + maxAheadSeconds
              + " s (updates.max_clock_ahead_seconds) after the device time "
              + java.time.Instant.ofEpochSecond(reference)
              + ": refused; check the publisher's clock, or set the device's");
    }
  }

  private static UpdateException mismatch(String what) {
    return new UpdateException("mix_and_match", what + ": the repository is inconsistent, refused");
  }
}
