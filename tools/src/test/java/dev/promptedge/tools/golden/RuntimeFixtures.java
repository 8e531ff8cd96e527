package dev.promptedge.tools.golden;

import dev.promptedge.format.Provenance;
import dev.promptedge.format.Role;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.pack.SelfTestImages;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The runtime's test fixtures in {@code runtime/src/test/resources/fixtures}: the micro ViT of
 * {@link MicroSetup} (card and float model), bundles packed for it by {@link MicroSetup#pack} with
 * the names, versions and seeds the runtime's tests install, one bundle for the deep micro ViT
 * (another backbone hash), a head for the wrong grid and the synthetic images the tests feed. The
 * runtime cannot write a model, so these bytes come from here; nothing is random or time-stamped,
 * so an unchanged builder writes the same bytes ({@code RuntimeFixturesTest} checks it).
 */
final class RuntimeFixtures {

  /** The folder under {@code runtime/src/test/resources} (the classpath root of the fixtures). */
  static final String FOLDER = "fixtures";

  static final String COMMAND =
      "./mvnw -B -ntp -q -pl tools -am test -Dtest=RegenerateRuntimeFixtures"
          + " -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dfixtures.regenerate=$PWD/runtime/src/test/resources/fixtures";

  /** How to rebuild the files, for the messages of tests that find them out of date. */
  static final String REGENERATE =
      "regenerate them with "
          + COMMAND
          + " (see runtime/src/test/resources/fixtures/README.md), and say why in the commit";

  /** A bundle of the set: {@code bundles/KIND-NAME-vVERSION-sSEED.bundle}. */
  record BundleSpec(TaskKind task, String name, long version, long seed) {
    String file() {
      return task.name().toLowerCase(Locale.ROOT) + "-" + name + "-v" + version + "-s" + seed;
    }
  }

  /** A synthetic image of the set: {@code images/synthetic-WxH-sSEED.png}. */
  record ImageSpec(int width, int height, long seed) {
    String file() {
      return "synthetic-" + width + "x" + height + "-s" + seed + ".png";
    }
  }

  /** The bundles packed for the micro shallow ViT. */
  static final List<BundleSpec> BUNDLES =
      List.of(
          detection("shapes", 1, 1),
          detection("shapes", 2, 1),
          detection("shapes", 2, 2),
          detection("shapes", 2, 9),
          detection("shapes", 3, 3),
          detection("shapes", 3, 4),
          detection("a", 1, 1),
          detection("b", 1, 2),
          detection("c", 1, 3),
          detection("detect", 1, 1),
          detection("detect", 2, 1),
          detection("detect", 2, 2),
          detection("detect", 3, 3),
          new BundleSpec(TaskKind.SEGMENTATION, "b", 1, 2),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 1, 2),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 2, 2),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 1, 3),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 1, 4),
          new BundleSpec(TaskKind.CLASSIFICATION, "classify", 1, 3),
          new BundleSpec(TaskKind.CLASSIFICATION, "classify", 2, 5));

  /** The bundles packed for the micro deep ViT, whose model is not committed (another hash). */
  static final List<BundleSpec> OTHER_BACKBONE_BUNDLES =
      List.of(detection("shapes", 2, 1), detection("foreign", 1, 4));

  /**
   * The images: the engine tests' 48×40 and five small ones of a mixed batch, the daemon tests'
   * 64×48 ones and a 300×200 one too large for their profile, and the inference queue's 18 growing
   * ones plus two squares.
   */
  static final List<ImageSpec> IMAGES =
      Stream.of(
              Stream.of(
                  new ImageSpec(48, 40, 3),
                  new ImageSpec(64, 48, 1),
                  new ImageSpec(64, 64, 9),
                  new ImageSpec(48, 48, 4),
                  new ImageSpec(64, 48, 2),
                  new ImageSpec(64, 48, 7),
                  new ImageSpec(64, 48, 8),
                  new ImageSpec(300, 200, 3)),
              Stream.iterate(0, i -> i < 5, i -> i + 1).map(i -> new ImageSpec(30 + i, 32, i)),
              Stream.iterate(0, i -> i < 18, i -> i + 1)
                  .map(i -> new ImageSpec(40 + 4 * i, 36 + 3 * i, i)))
          .flatMap(s -> s)
          .toList();

  /** A detection head for a 2×2 grid instead of the micro backbone's 4×4: {@code seed} 5. */
  static final String WRONG_GRID_HEAD = "heads/detection-grid2x2-s5.tflite";

  /**
   * The update repositories under {@code ota/}: each {@code repo-NAME-vVERSION-sSEED} publishes
   * that one detection bundle (from {@link #BUNDLES}) as targets/snapshot/timestamp version 1,
   * signed by one seeded key per role, at {@link #PUBLISHED}.
   */
  static final List<BundleSpec> REPOSITORIES =
      List.of(detection("shapes", 1, 1), detection("shapes", 2, 2), detection("shapes", 3, 4));

  /** The bundles under {@code ota/signed/}, each signed by the root and by the targets key. */
  static final List<BundleSpec> SIGNED = List.of(detection("shapes", 1, 1));

  /**
   * When the repositories were published: their issue time, written to {@code ota/published-at}.
   */
  static final Instant PUBLISHED = Instant.parse("2026-12-01T00:00:00Z");

  private RuntimeFixtures() {}

  private static BundleSpec detection(String name, long version, long seed) {
    return new BundleSpec(TaskKind.DETECTION, name, version, seed);
  }

  private static Provenance provenance(boolean deep) {
    return Provenance.newBuilder()
        .setCommand(
            "RuntimeFixtures: MicroSetup(dir, "
                + deep
                + "), VitWeights.random(spec, 7); bundles MicroSetup.pack(name, task, labels,"
                + " version, seed), seed in the file name")
        .setSeed(7)
        .setData("none: seeded random weights and heads")
        .setTool("promptedge tests")
        .build();
  }

  /**
   * Writes the whole set into {@code out} (the deep backbone is built in a temp dir and only its
   * bundle kept) and returns the paths written, relative to {@code out}.
   */
  static List<String> regenerate(Path out) throws IOException {
    List<String> written = new ArrayList<>();
    Path work = Files.createTempDirectory("fixtures");
    try {
      MicroSetup shallow =
          new MicroSetup(
              Files.createDirectories(work.resolve("shallow")), false, provenance(false));
      CardFile card = shallow.card;
      write(out, card.path().getFileName().toString(), Files.readAllBytes(card.path()), written);
      Path model = card.modelPath(false);
      write(out, model.getFileName().toString(), Files.readAllBytes(model), written);
      for (BundleSpec b : BUNDLES) {
        write(out, "bundles/" + b.file() + ".bundle", pack(shallow, b), written);
      }
      MicroSetup deep =
          new MicroSetup(Files.createDirectories(work.resolve("deep")), true, provenance(true));
      for (BundleSpec b : OTHER_BACKBONE_BUNDLES) {
        write(out, "other-backbone/" + b.file() + ".bundle", pack(deep, b), written);
      }
      byte[] head =
          HeadBuilder.build(
              TaskKind.DETECTION,
              HeadWeights.random(2 + HeadBuilder.DETECTION_EXTRA, shallow.spec.embedDim(), 5),
              2,
              2,
              shallow.spec.embedDim());
      write(out, WRONG_GRID_HEAD, head, written);
      ota(shallow, work.resolve("ota"), out, written);
      for (ImageSpec i : IMAGES) {
        write(
            out,
            "images/" + i.file(),
            SelfTestImages.syntheticPng(i.width(), i.height(), i.seed()),
            written);
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return written;
  }

  /**
   * Writes {@code ota/}: the roles' public keys ({@code keys/ROLE.pub}, X.509 DER), the publish
   * time, one repository per {@link #REPOSITORIES} entry (without the publisher's private {@code
   * .publisher} folder) and the {@link #SIGNED} bundles. The keys come from a SHA1PRNG seeded with
   * the role's name, so they and every Ed25519 signature are the same on each run; their private
   * halves stay in {@code work}.
   */
  private static void ota(MicroSetup setup, Path work, Path out, List<String> written)
      throws IOException {
    Map<Role, RepoPublisher.RoleKeyFiles> roles = new EnumMap<>(Role.class);
    Map<Role, SigningKey> keys = new EnumMap<>(Role.class);
    for (Role role : RepoPublisher.ROLES) {
      String name = role.name().toLowerCase(Locale.ROOT);
      Path key = seededKey(work.resolve("keys"), name);
      roles.put(role, new RepoPublisher.RoleKeyFiles(List.of(key), 1));
      keys.put(role, KeyFiles.read(key));
      write(out, "ota/keys/" + name + ".pub", keys.get(role).publicKey().getEncoded(), written);
    }
    write(out, "ota/published-at", (PUBLISHED + "\n").getBytes(StandardCharsets.US_ASCII), written);
    Clock clock = Clock.fixed(PUBLISHED, ZoneOffset.UTC);
    for (BundleSpec b : REPOSITORIES) {
      Path repo = work.resolve("repo-" + b.file());
      RepoPublisher publisher =
          RepoPublisher.init(
              repo,
              roles,
              new PublisherConfig.Expiries(
                  Duration.ofDays(365),
                  Duration.ofDays(30),
                  Duration.ofDays(7),
                  Duration.ofDays(1)),
              clock);
      publisher.add(pack(setup, b), List.of());
      publisher.publish();
      List<Path> served;
      try (Stream<Path> files = Files.walk(repo)) {
        served =
            files
                .filter(Files::isRegularFile)
                .filter(f -> !repo.relativize(f).startsWith(PublisherConfig.FOLDER))
                .sorted()
                .toList();
      }
      for (Path f : served) {
        String relative = repo.relativize(f).toString().replace('\\', '/');
        write(out, "ota/repo-" + b.file() + "/" + relative, Files.readAllBytes(f), written);
      }
    }
    for (BundleSpec b : SIGNED) {
      byte[] bundle = pack(setup, b);
      for (Role role : List.of(Role.ROOT, Role.TARGETS)) {
        String name = role.name().toLowerCase(Locale.ROOT);
        write(
            out,
            "ota/signed/" + b.file() + "." + name + ".bundle",
            Signer.bundle(bundle, keys.get(role)),
            written);
      }
    }
  }

  /** Writes {@code dir/NAME.key} (PKCS#8 DER) and {@code dir/NAME.pub} (X.509 DER), seeded. */
  private static Path seededKey(Path dir, String name) throws IOException {
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
    Files.createDirectories(dir);
    Files.write(dir.resolve(name + ".key"), pair.getPrivate().getEncoded());
    Files.write(dir.resolve(name + ".pub"), pair.getPublic().getEncoded());
    return dir.resolve(name + ".key");
  }

  private static byte[] pack(MicroSetup setup, BundleSpec b) {
    MicroSetup.Packed packed =
        switch (b.task()) {
          case DETECTION -> setup.detection(b.name(), b.version(), b.seed());
          case SEGMENTATION -> setup.segmentation(b.name(), b.version(), b.seed());
          case CLASSIFICATION -> setup.classification(b.name(), b.version(), b.seed());
          default -> throw new IllegalArgumentException("no fixture for " + b.task());
        };
    return packed.bundle().toBytes();
  }

  private static void write(Path out, String relative, byte[] bytes, List<String> written)
      throws IOException {
    Path file = out.resolve(relative);
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, bytes);
    written.add(relative);
  }
}
