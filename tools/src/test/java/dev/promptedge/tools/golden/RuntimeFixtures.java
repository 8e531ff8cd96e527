package dev.promptedge.tools.golden;

import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The runtime's test fixtures in {@code runtime/src/test/resources/fixtures}: the micro ViT of
 * {@link MicroSetup} (card and float model), bundles packed for it by {@link MicroSetup#pack} with
 * the names, versions and seeds the runtime's tests install, one bundle for the deep micro ViT
 * (another backbone hash), a head for the wrong grid, the synthetic images the tests feed and the
 * update repositories of {@link OtaFixtures}. The runtime cannot write a model, so these bytes come
 * from here; nothing is random or time-stamped, so an unchanged builder writes the same bytes
 * ({@code RuntimeFixturesTest} checks it).
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
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 2, 9),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 3, 2),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 1, 3),
          new BundleSpec(TaskKind.SEGMENTATION, "segment", 1, 4),
          new BundleSpec(TaskKind.CLASSIFICATION, "classify", 1, 3),
          new BundleSpec(TaskKind.CLASSIFICATION, "classify", 2, 5),
          new BundleSpec(TaskKind.CLASSIFICATION, "missing", 1, 4));

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

  private RuntimeFixtures() {}

  static BundleSpec detection(String name, long version, long seed) {
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
      OtaFixtures.write(
          shallow, deep, work.resolve("ota"), (file, bytes) -> write(out, file, bytes, written));
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

  /** Bundle {@code b} packed for {@code setup}'s backbone, as serialized bytes. */
  static byte[] pack(MicroSetup setup, BundleSpec b) {
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
