package dev.promptedge.tools.golden;

import static dev.promptedge.tools.golden.RuntimeFixtures.detection;

import com.google.protobuf.ByteString;
import dev.promptedge.format.Role;
import dev.promptedge.format.SignedMetadata;
import dev.promptedge.format.Snapshot;
import dev.promptedge.format.Targets;
import dev.promptedge.format.Timestamp;
import dev.promptedge.runtime.ota.RepositoryLayout;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.golden.RuntimeFixtures.BundleSpec;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.PublisherConfig;
import dev.promptedge.tools.publish.RepoPublisher;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;

/**
 * The update fixtures under {@code ota/}: the roles' public keys, the publish time, whole
 * repositories as {@link RepoPublisher} serves them, bundles signed by one key, and the updates of
 * {@code ota/updates/NAME/}: what a publisher (or an attacker) changes in the repository of {@code
 * repo-detection-shapes-v1-s1}, each holding only the files that differ from the state it is laid
 * over. Keys come from a SHA1PRNG seeded with their name and every time is fixed, so the bytes are
 * the same on each run (Ed25519 signatures are deterministic).
 */
final class OtaFixtures {

  /** When the repositories were published: the issue time, written to {@code ota/published-at}. */
  static final Instant PUBLISHED = Instant.parse("2026-12-01T00:00:00Z");

  /** Root, targets, snapshot and timestamp live 365, 30, 7 and 1 days. */
  static final PublisherConfig.Expiries EXPIRIES =
      new PublisherConfig.Expiries(
          Duration.ofDays(365), Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1));

  /**
   * The repositories under {@code ota/}: each {@code repo-NAME-vVERSION-sSEED} publishes that one
   * detection bundle (from {@link RuntimeFixtures#BUNDLES}) as targets/snapshot/timestamp version
   * 1, signed by one seeded key per role, at {@link #PUBLISHED}.
   */
  static final List<BundleSpec> REPOSITORIES =
      List.of(detection("shapes", 1, 1), detection("shapes", 2, 2), detection("shapes", 3, 4));

  /** The bundles under {@code ota/signed/}, each signed by the root and by the targets key. */
  static final List<BundleSpec> SIGNED = List.of(detection("shapes", 1, 1));

  /** The repository every update is laid over. */
  static final BundleSpec BASE = REPOSITORIES.get(0);

  /** A change to a repository directory. */
  @FunctionalInterface
  private interface Change {
    void apply(Repo repo) throws IOException;
  }

  /**
   * The update {@code ota/updates/NAME}: {@code change} applied to the state after {@code over}.
   */
  private record Update(String name, String over, Change change) {}

  /** Where the files go, relative to the fixtures folder. */
  @FunctionalInterface
  interface Sink {
    void write(String relative, byte[] bytes) throws IOException;
  }

  private final MicroSetup shallow;
  private final MicroSetup deep;
  private final Path work;
  private final Sink sink;
  private final Map<Role, RepoPublisher.RoleKeyFiles> roles = new EnumMap<>(Role.class);
  private final Map<Role, SigningKey> keys = new EnumMap<>(Role.class);

  private OtaFixtures(MicroSetup shallow, MicroSetup deep, Path work, Sink sink) {
    this.shallow = shallow;
    this.deep = deep;
    this.work = work;
    this.sink = sink;
  }

  /**
   * Writes {@code ota/}: the keys ({@code keys/ROLE.pub}, X.509 DER; the private halves stay in
   * {@code work}), the publish time, the {@link #REPOSITORIES} (without the publisher's private
   * {@code .publisher} folder), the {@link #SIGNED} bundles and the {@code updates/}.
   */
  static void write(MicroSetup shallow, MicroSetup deep, Path work, Sink sink) throws IOException {
    new OtaFixtures(shallow, deep, work, sink).write();
  }

  private void write() throws IOException {
    for (Role role : RepoPublisher.ROLES) {
      String name = role.name().toLowerCase(Locale.ROOT);
      roles.put(role, keyFiles(name));
      keys.put(role, KeyFiles.read(roles.get(role).keys().get(0)));
      sink.write("ota/keys/" + name + ".pub", keys.get(role).publicKey().getEncoded());
    }
    sink.write("ota/published-at", (PUBLISHED + "\n").getBytes(StandardCharsets.US_ASCII));
    for (BundleSpec b : REPOSITORIES) {
      Path dir = work.resolve("repo-" + b.file());
      init(dir, b);
      for (Map.Entry<String, byte[]> f : served(dir).entrySet()) {
        sink.write("ota/repo-" + b.file() + "/" + f.getKey(), f.getValue());
      }
    }
    for (BundleSpec b : SIGNED) {
      byte[] bundle = bundle(b.name(), b.version(), b.seed());
      for (Role role : List.of(Role.ROOT, Role.TARGETS)) {
        String name = role.name().toLowerCase(Locale.ROOT);
        sink.write(
            "ota/signed/" + b.file() + "." + name + ".bundle",
            Signer.bundle(bundle, keys.get(role)));
      }
    }
    writeUpdates();
  }

  /** Builds each update's repository state in {@code work} and writes what its change changed. */
  private void writeUpdates() throws IOException {
    List<Update> updates = updates();
    for (Update u : updates) {
      Path dir = work.resolve("updates").resolve(u.name());
      Repo repo = init(dir, BASE);
      for (Update parent : parents(u, updates)) {
        parent.change().apply(repo);
      }
      Map<String, byte[]> before = served(dir);
      u.change().apply(repo);
      Map<String, byte[]> after = served(dir);
      if (!after.keySet().containsAll(before.keySet())) {
        throw new IllegalStateException(
            u.name() + " removes files; an update only adds or changes");
      }
      for (Map.Entry<String, byte[]> f : after.entrySet()) {
        if (!Arrays.equals(before.get(f.getKey()), f.getValue())) {
          sink.write("ota/updates/" + u.name() + "/" + f.getKey(), f.getValue());
        }
      }
    }
  }

  /**
   * The updates, each named by what it does to the repository. Over {@code null}: laid on the base
   * repository as a device that installed shapes v1 from it polls again; over {@code v2}: on the
   * base with {@code v2} laid first.
   */
  private List<Update> updates() {
    String bundleV2 = RepositoryLayout.bundle("shapes", 2);
    return List.of(
        new Update("v2", null, r -> r.publish(bundle("shapes", 2, 2), List.of())),
        new Update(
            "forged-timestamp-signature",
            "v2",
            r -> r.flip(RepositoryLayout.TIMESTAMP, n -> n - 1, 1)),
        new Update(
            "flipped-targets-byte",
            "v2",
            r -> r.flip(RepositoryLayout.targets(2), n -> n / 2, 0x40)),
        new Update("flipped-bundle-byte", "v2", r -> r.flip(bundleV2, n -> n / 3, 1)),
        new Update("swapped-bundle", "v2", r -> r.write(bundleV2, bundle("shapes", 2, 99))),
        new Update(
            "targets-by-unknown-key",
            "v2",
            r -> {
              Targets t = r.payload(RepositoryLayout.targets(2), Targets::parseFrom);
              r.resignChain(Signer.metadata(t, List.of(key("attacker"))), 2);
            }),
        new Update(
            "old-timestamp",
            "v2",
            r ->
                r.write(
                    RepositoryLayout.TIMESTAMP,
                    Files.readAllBytes(
                        work.resolve("repo-" + BASE.file()).resolve(RepositoryLayout.TIMESTAMP)))),
        new Update(
            "mixed-snapshot",
            "v2",
            r -> {
              // A validly signed timestamp naming snapshot v3 whose file is the old v1 snapshot.
              byte[] old = r.read(RepositoryLayout.snapshot(1));
              r.write(RepositoryLayout.snapshot(3), old);
              Timestamp t = r.payload(RepositoryLayout.TIMESTAMP, Timestamp::parseFrom);
              r.sign(
                  RepositoryLayout.TIMESTAMP,
                  t.toBuilder()
                      .setVersion(t.getVersion() + 1)
                      .setSnapshot(RepoPublisher.meta(3, old))
                      .build(),
                  Role.TIMESTAMP);
            }),
        new Update(
            "republished-later",
            "v2",
            r -> r.publisher(PUBLISHED.plus(Duration.ofDays(2))).publish()),
        new Update(
            "other-board", "v2", r -> r.publish(bundle("shapes", 2, 2), List.of("raspberry-pi-5"))),
        new Update(
            "rotated-roots",
            "v2",
            r -> {
              RepoPublisher p = r.publisher(PUBLISHED);
              p.rotateRoot(
                  Map.of(Role.ROOT, keyFiles("root2"), Role.TIMESTAMP, keyFiles("timestamp2")));
              p.rotateRoot(Map.of(Role.ROOT, keyFiles("root3")));
              p.publish();
            }),
        new Update(
            "timestamp-key-rotated",
            "v2",
            r -> {
              RepoPublisher p = r.publisher(PUBLISHED);
              p.rotateRoot(Map.of(Role.TIMESTAMP, keyFiles("timestamp2")));
              p.publish();
            }),
        new Update(
            "lying-targets",
            null,
            r -> {
              // Signed metadata that names shapes v2, over a file that is a valid shapes v5 bundle.
              byte[] v5 = bundle("shapes", 5, 5);
              r.publisher(PUBLISHED).add(bundle("shapes", 2, 2), List.of());
              r.write(bundleV2, v5);
              Targets t = r.payload(RepositoryLayout.targets(1), Targets::parseFrom);
              Targets lying =
                  t.toBuilder()
                      .setVersion(2)
                      .setBundles(
                          0,
                          t.getBundles(0).toBuilder()
                              .setVersion(2)
                              .setPath(bundleV2)
                              .setSha256(Sha256.hex(v5))
                              .setLength(v5.length))
                      .build();
              r.resignChain(Signer.metadata(lying, List.of(keys.get(Role.TARGETS))), 2);
            }),
        new Update(
            "huge-version",
            null,
            r -> {
              Targets t = r.payload(RepositoryLayout.targets(1), Targets::parseFrom);
              Targets huge =
                  t.toBuilder()
                      .setVersion(2)
                      .setBundles(0, t.getBundles(0).toBuilder().setVersion(-1L))
                      .build();
              r.resignChain(Signer.metadata(huge, List.of(keys.get(Role.TARGETS))), 2);
            }),
        new Update(
            "failing-self-test",
            null,
            r ->
                r.publish(
                    MicroSetup.failingSelfTest(shallow.detection("shapes", 2, 2).bundle()),
                    List.of())),
        new Update(
            "other-backbone",
            null,
            r -> r.publish(RuntimeFixtures.pack(deep, detection("foreign", 1, 4)), List.of())),
        new Update(
            "timestamp-ten-years-ahead",
            null,
            r -> {
              Timestamp t = r.payload(RepositoryLayout.TIMESTAMP, Timestamp::parseFrom);
              long future = PUBLISHED.plus(Duration.ofDays(3653)).getEpochSecond();
              r.sign(
                  RepositoryLayout.TIMESTAMP,
                  t.toBuilder()
                      .setVersion(t.getVersion() + 1)
                      .setIssuedEpochSeconds(future)
                      .setExpiresEpochSeconds(future + 86_400)
                      .build(),
                  Role.TIMESTAMP);
            }),
        new Update(
            "timestamp-v1000",
            null,
            r -> {
              Timestamp t = r.payload(RepositoryLayout.TIMESTAMP, Timestamp::parseFrom);
              r.sign(
                  RepositoryLayout.TIMESTAMP,
                  t.toBuilder().setVersion(1000).build(),
                  Role.TIMESTAMP);
            }));
  }

  private static List<Update> parents(Update u, List<Update> all) {
    Deque<Update> chain = new ArrayDeque<>();
    for (String over = u.over(); over != null; ) {
      String name = over;
      Update parent =
          all.stream()
              .filter(p -> p.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException(u.name() + " is over unknown " + name));
      chain.addFirst(parent);
      over = parent.over();
    }
    return List.copyOf(chain);
  }

  /** A repository in {@code dir} publishing {@code b} at {@link #PUBLISHED}. */
  private Repo init(Path dir, BundleSpec b) throws IOException {
    RepoPublisher.init(dir, roles, EXPIRIES, Clock.fixed(PUBLISHED, ZoneOffset.UTC));
    Repo repo = new Repo(dir);
    repo.publish(RuntimeFixtures.pack(shallow, b), List.of());
    return repo;
  }

  private byte[] bundle(String name, long version, long seed) {
    return RuntimeFixtures.pack(shallow, detection(name, version, seed));
  }

  /** What a device downloads from {@code dir}: every file but the publisher's folder, by path. */
  private static Map<String, byte[]> served(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        Path relative = dir.relativize(f);
        if (!relative.startsWith(PublisherConfig.FOLDER)) {
          files.put(relative.toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
    }
    return files;
  }

  private SigningKey key(String name) throws IOException {
    return KeyFiles.read(keyFiles(name).keys().get(0));
  }

  /** The seeded key {@code NAME} as one key of threshold 1, written once into {@code work/keys}. */
  private RepoPublisher.RoleKeyFiles keyFiles(String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve("keys"));
    Path key = dir.resolve(name + ".key");
    if (!Files.exists(key)) {
      KeyPair pair;
      try {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(("promptedge runtime fixtures " + name).getBytes(StandardCharsets.US_ASCII));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, random);
        pair = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      Files.write(key, pair.getPrivate().getEncoded());
      Files.write(dir.resolve(name + ".pub"), pair.getPublic().getEncoded());
    }
    return new RepoPublisher.RoleKeyFiles(List.of(key), 1);
  }

  /** A repository directory being changed, with the publisher's keys at hand. */
  private final class Repo {
    private final Path dir;

    Repo(Path dir) {
      this.dir = dir;
    }

    RepoPublisher publisher(Instant at) throws IOException {
      return RepoPublisher.open(dir, Clock.fixed(at, ZoneOffset.UTC));
    }

    /** Stages {@code bundle} for {@code boards} and publishes, as {@code repo add/publish} do. */
    void publish(byte[] bundle, List<String> boards) throws IOException {
      RepoPublisher p = publisher(PUBLISHED);
      p.add(bundle, boards);
      p.publish();
    }

    byte[] read(String path) throws IOException {
      return Files.readAllBytes(dir.resolve(path));
    }

    void write(String path, byte[] bytes) throws IOException {
      Files.write(dir.resolve(path), bytes);
    }

    /** XORs the byte at {@code at(length)} of {@code path} with {@code mask}. */
    void flip(String path, IntUnaryOperator at, int mask) throws IOException {
      byte[] bytes = read(path);
      bytes[at.applyAsInt(bytes.length)] ^= (byte) mask;
      write(path, bytes);
    }

    <T> T payload(String path, Parser<T> parser) throws IOException {
      return parser.parse(SignedMetadata.parseFrom(read(path)).getPayload());
    }

    /** Writes {@code payload} to {@code path}, signed by {@code role}'s key. */
    void sign(String path, com.google.protobuf.Message payload, Role role) throws IOException {
      write(path, Signer.metadata(payload, List.of(keys.get(role))));
    }

    /** Writes {@code targets} as version N and a valid snapshot v N+10 and timestamp naming it. */
    void resignChain(byte[] targets, long targetsVersion) throws IOException {
      write(RepositoryLayout.targets(targetsVersion), targets);
      Timestamp t = payload(RepositoryLayout.TIMESTAMP, Timestamp::parseFrom);
      long snapshotVersion = t.getSnapshot().getVersion() + 10;
      Snapshot s =
          Snapshot.newBuilder()
              .setFormatVersion(1)
              .setRole(Role.SNAPSHOT)
              .setVersion(snapshotVersion)
              .setIssuedEpochSeconds(t.getIssuedEpochSeconds())
              .setExpiresEpochSeconds(t.getExpiresEpochSeconds())
              .setTargets(RepoPublisher.meta(targetsVersion, targets))
              .build();
      byte[] snapshot = Signer.metadata(s, List.of(keys.get(Role.SNAPSHOT)));
      write(RepositoryLayout.snapshot(snapshotVersion), snapshot);
      sign(
          RepositoryLayout.TIMESTAMP,
          t.toBuilder()
              .setVersion(t.getVersion() + 10)
              .setSnapshot(RepoPublisher.meta(snapshotVersion, snapshot))
              .build(),
          Role.TIMESTAMP);
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    T parse(ByteString bytes) throws com.google.protobuf.InvalidProtocolBufferException;
  }
}
