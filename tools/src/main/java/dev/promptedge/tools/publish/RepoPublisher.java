package dev.promptedge.tools.publish;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.promptedge.format.MetaFile;
import dev.promptedge.format.PublicKey;
import dev.promptedge.format.Role;
import dev.promptedge.format.RoleKeys;
import dev.promptedge.format.Root;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.TargetBundle;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a static update repository: root (keys and thresholds per role), targets (the bundles),
 * snapshot and timestamp, each signed and versioned, plus the bundle files. The publisher's own
 * settings (key file paths, thresholds, expiry periods, staged bundles) live in {@code
 * DIR/.publisher}, which {@link RepoServer} never serves and a CDN upload should skip. Not
 * thread-safe; one publisher per directory at a time.
 */
public final class RepoPublisher {

  /** The roles in the order they are listed. */
  public static final List<Role> ROLES =
      List.of(Role.ROOT, Role.TARGETS, Role.SNAPSHOT, Role.TIMESTAMP);

  /**
   * The key files of one role and how many of them must sign.
   *
   * @param keys private key files (PKCS#8)
   * @param threshold signatures required, 1..keys
   */
  public record RoleKeyFiles(List<Path> keys, int threshold) {
    public RoleKeyFiles {
      keys = keys.stream().map(p -> p.toAbsolutePath().normalize()).toList();
      if (keys.isEmpty() || threshold < 1 || threshold > keys.size()) {
        throw new IllegalArgumentException(
            "a role needs at least one key and 1 <= threshold <= keys, got "
                + keys.size()
                + " key(s) and threshold "
                + threshold);
      }
    }
  }

  private final Path dir;
  private final Clock clock;
  private final PublisherConfig config;
  private final Map<Role, List<SigningKey>> signers = new EnumMap<>(Role.class);

  private RepoPublisher(Path dir, Clock clock, PublisherConfig config) throws IOException {
    this.dir = dir;
    this.clock = clock;
    this.config = config;
    for (Role role : ROLES) {
      signers.put(role, load(config.role(role)));
    }
  }

  private static List<SigningKey> load(RoleKeyFiles files) throws IOException {
    List<SigningKey> keys = new ArrayList<>();
    for (Path file : files.keys()) {
      keys.add(KeyFiles.read(file));
    }
    return keys;
  }

  /**
   * Creates a repository in {@code dir} with root version 1.
   *
   * @throws IllegalStateException when {@code dir} already holds a repository
   */
  public static RepoPublisher init(
      Path dir, Map<Role, RoleKeyFiles> roles, PublisherConfig.Expiries expiries, Clock clock)
      throws IOException {
    if (Files.exists(dir.resolve(RepositoryLayout.root(1)))) {
      throw new IllegalStateException(
          dir + " already holds an update repository: use repo add/publish/rotate-root");
    }
    PublisherConfig config = PublisherConfig.create(dir, roles, expiries);
    RepoPublisher publisher = new RepoPublisher(dir, clock, config);
    publisher.writeRoot(1, publisher.signers.get(Role.ROOT));
    config.saveStaged(Targets.getDefaultInstance());
    return publisher;
  }

  /** Opens the repository in {@code dir}, reading its key files. */
  public static RepoPublisher open(Path dir, Clock clock) throws IOException {
    return new RepoPublisher(dir, clock, PublisherConfig.read(dir));
  }

  /** The repository directory. */
  public Path directory() {
    return dir;
  }

  /** The newest root. */
  public Root root() throws IOException {
    return payload(dir.resolve(RepositoryLayout.LATEST_ROOT), Root::parseFrom);
  }

  /** The signing keys of {@code role}. */
  public List<SigningKey> signers(Role role) {
    return List.copyOf(signers.get(role));
  }

  /**
   * Copies a bundle into the repository and stages its targets entry (replacing the entry of the
   * same name) for the next {@link #publish()}.
   *
   * @param boards boards that may install it; empty for every board
   */
  public TargetBundle add(byte[] bundleBytes, List<String> boards) throws IOException {
    Bundle bundle = BundleReader.parse(bundleBytes, Long.MAX_VALUE);
    String path = RepositoryLayout.bundle(bundle.name(), bundle.version());
    Path file = dir.resolve(path);
    if (Files.exists(file) && !Arrays.equals(Files.readAllBytes(file), bundleBytes)) {
      throw new IllegalStateException(
          path + " is already published with other contents: give the bundle a higher version");
    }
    Targets staged = config.staged();
    for (TargetBundle t : staged.getBundlesList()) {
      if (t.getName().equals(bundle.name()) && t.getVersion() > bundle.version()) {
        throw new IllegalStateException(
            "'"
                + bundle.name()
                + "' v"
                + t.getVersion()
                + " is already in the repository;"
                + " v"
                + bundle.version()
                + " would be a rollback: raise its version");
      }
    }
    AtomicFiles.write(file, bundleBytes);
    TargetBundle entry =
        TargetBundle.newBuilder()
            .setName(bundle.name())
            .setVersion(bundle.version())
            .setSha256(Sha256.hex(bundleBytes))
            .setLength(bundleBytes.length)
            .setPath(path)
            .setBackboneSha256(bundle.bundle().getBackboneSha256())
            .addAllCompatibleBoards(boards)
            .build();
    Map<String, TargetBundle> byName = new LinkedHashMap<>();
    staged.getBundlesList().forEach(t -> byName.put(t.getName(), t));
    byName.put(entry.getName(), entry);
    config.saveStaged(Targets.newBuilder().addAllBundles(byName.values()).build());
    return entry;
  }

  /**
   * The versions a publish wrote.
   *
   * @param targets targets version
   * @param snapshot snapshot version
   * @param timestamp timestamp version
   */
  public record Published(long targets, long snapshot, long timestamp) {}

  /**
   * Signs and writes new targets, snapshot and timestamp versions with the staged bundles, in the
   * order that keeps the repository consistent for devices polling meanwhile (timestamp last).
   */
  public Published publish() throws IOException {
    long now = clock.instant().getEpochSecond();
    long timestampVersion = 0;
    long snapshotVersion = 0;
    long targetsVersion = 0;
    Path timestampFile = dir.resolve(RepositoryLayout.TIMESTAMP);
    if (Files.exists(timestampFile)) {
      Timestamp old = payload(timestampFile, Timestamp::parseFrom);
      timestampVersion = old.getVersion();
      snapshotVersion = old.getSnapshot().getVersion();
      Snapshot snapshot =
          payload(dir.resolve(RepositoryLayout.snapshot(snapshotVersion)), Snapshot::parseFrom);
      targetsVersion = snapshot.getTargets().getVersion();
    }
    PublisherConfig.Expiries expires = config.expiries();
    Targets targets =
        config.staged().toBuilder()
            .setFormatVersion(RepositoryLayout.FORMAT_VERSION)
            .setRole(Role.TARGETS)
            .setVersion(targetsVersion + 1)
            .setIssuedEpochSeconds(now)
            .setExpiresEpochSeconds(now + expires.targets().toSeconds())
            .build();
    byte[] targetsBytes = Signer.metadata(targets, signers.get(Role.TARGETS));
    AtomicFiles.write(dir.resolve(RepositoryLayout.targets(targets.getVersion())), targetsBytes);
    Snapshot snapshot =
        Snapshot.newBuilder()
            .setFormatVersion(RepositoryLayout.FORMAT_VERSION)
            .setRole(Role.SNAPSHOT)
            .setVersion(snapshotVersion + 1)
            .setIssuedEpochSeconds(now)
            .setExpiresEpochSeconds(now + expires.snapshot().toSeconds())
            .setTargets(meta(targets.getVersion(), targetsBytes))
            .build();
    byte[] snapshotBytes = Signer.metadata(snapshot, signers.get(Role.SNAPSHOT));
    AtomicFiles.write(dir.resolve(RepositoryLayout.snapshot(snapshot.getVersion())), snapshotBytes);
    Timestamp timestamp =
        Timestamp.newBuilder()
            .setFormatVersion(RepositoryLayout.FORMAT_VERSION)
            .setRole(Role.TIMESTAMP)
            .setVersion(timestampVersion + 1)
            .setIssuedEpochSeconds(now)
            .setExpiresEpochSeconds(now + expires.timestamp().toSeconds())
            .setSnapshot(meta(snapshot.getVersion(), snapshotBytes))
            .build();
    AtomicFiles.write(timestampFile, Signer.metadata(timestamp, signers.get(Role.TIMESTAMP)));
    return new Published(targets.getVersion(), snapshot.getVersion(), timestamp.getVersion());
  }

  /** A MetaFile entry for a metadata file. */
  public static MetaFile meta(long version, byte[] bytes) {
    return MetaFile.newBuilder()
        .setVersion(version)
        .setSha256(Sha256.hex(bytes))
        .setLength(bytes.length)
        .build();
  }

  /**
   * Writes root version N+1 with new keys for the given roles (others keep theirs), signed by the
   * root keys of version N and of N+1. Run {@link #publish()} afterwards so that timestamp,
   * snapshot and targets carry the new keys' signatures.
   */
  public Root rotateRoot(Map<Role, RoleKeyFiles> changes) throws IOException {
    Root old = root();
    List<SigningKey> oldRootKeys = signers.get(Role.ROOT);
    config.update(changes);
    for (Role role : changes.keySet()) {
      signers.put(role, load(config.role(role)));
    }
    List<SigningKey> both = new ArrayList<>(oldRootKeys);
    both.addAll(signers.get(Role.ROOT));
    return writeRoot(old.getVersion() + 1, both);
  }

  private Root writeRoot(long version, List<SigningKey> signWith) throws IOException {
    long now = clock.instant().getEpochSecond();
    Root.Builder root =
        Root.newBuilder()
            .setFormatVersion(RepositoryLayout.FORMAT_VERSION)
            .setRole(Role.ROOT)
            .setVersion(version)
            .setIssuedEpochSeconds(now)
            .setExpiresEpochSeconds(now + config.expiries().root().toSeconds());
    Map<String, SigningKey> all = new LinkedHashMap<>();
    for (Role role : ROLES) {
      RoleKeys.Builder keys = RoleKeys.newBuilder().setThreshold(config.role(role).threshold());
      for (SigningKey key : signers.get(role)) {
        keys.addKeyIds(key.keyId());
        all.putIfAbsent(key.keyId(), key);
      }
      switch (role) {
        case ROOT -> root.setRoot(keys);
        case TARGETS -> root.setTargets(keys);
        case SNAPSHOT -> root.setSnapshot(keys);
        default -> root.setTimestamp(keys);
      }
    }
    for (SigningKey key : all.values()) {
      root.addKeys(
          PublicKey.newBuilder()
              .setKeyId(key.keyId())
              .setPublicKeyX509(ByteString.copyFrom(key.publicKey().getEncoded())));
    }
    Root built = root.build();
    byte[] bytes = Signer.metadata(built, signWith);
    AtomicFiles.write(dir.resolve(RepositoryLayout.root(version)), bytes);
    AtomicFiles.write(dir.resolve(RepositoryLayout.LATEST_ROOT), bytes);
    return built;
  }

  interface Parser<T> {
    T parse(ByteString bytes) throws InvalidProtocolBufferException;
  }

  /** The payload of a metadata file this publisher wrote (signatures are not checked). */
  static <T> T payload(Path file, Parser<T> parser) throws IOException {
    return parser.parse(SignedMetadata.parseFrom(Files.readAllBytes(file)).getPayload());
  }
}
