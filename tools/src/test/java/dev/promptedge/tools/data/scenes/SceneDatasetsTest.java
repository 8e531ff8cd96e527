package dev.promptedge.tools.data.scenes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.cli.PromptEdgeCli;
import dev.promptedge.tools.data.ClassificationSample;
import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Instance;
import dev.promptedge.tools.data.Rle;
import dev.promptedge.tools.data.SegmentationSample;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SceneDatasetsTest {

  @TempDir Path dir;

  /** 30 hand-made glyphs: filled ellipses and rectangles of varying size, labels 0..9. */
  static FashionMnist syntheticGlyphs() {
    int n = 30;
    int side = FashionMnist.SIDE;
    byte[] pixels = new byte[n * side * side];
    byte[] labels = new byte[n];
    SplittableRandom r = new SplittableRandom(42);
    for (int g = 0; g < n; g++) {
      labels[g] = (byte) (g % 10);
      int w = 8 + r.nextInt(18);
      int h = 8 + r.nextInt(18);
      boolean ellipse = g % 2 == 0;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double u = (x + 0.5 - side / 2.0) / (w / 2.0);
          double v = (y + 0.5 - side / 2.0) / (h / 2.0);
          boolean in = ellipse ? u * u + v * v <= 1 : Math.abs(u) <= 1 && Math.abs(v) <= 1;
          if (in) {
            pixels[g * side * side + y * side + x] = (byte) (60 + r.nextInt(196));
          }
        }
      }
    }
    return FashionMnist.of(pixels, labels);
  }

  static void generate(Path out, long seed, FashionMnist glyphs, int train, int val) {
    SceneDatasets.generate(
        out,
        seed,
        SceneOptions.DEFAULT,
        List.of(
            new SceneDatasets.SplitPlan(Split.TRAIN, train, glyphs, "synthetic"),
            new SceneDatasets.SplitPlan(Split.VAL, val, glyphs, "synthetic")),
        (split, done, count) -> {});
  }

  static Map<String, String> hashes(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Sha256.hex(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndOtherSeedsDiffer() throws Exception {
    FashionMnist glyphs = syntheticGlyphs();
    long start = System.nanoTime();
    generate(dir.resolve("a"), 5, glyphs, 16, 4);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 10, "20 scenes took " + seconds + " s");
    generate(dir.resolve("b"), 5, glyphs, 16, 4);
    generate(dir.resolve("c"), 6, glyphs, 16, 4);
    Map<String, String> a = hashes(dir.resolve("a"));
    assertTrue(a.size() > 20 * 3 + 4, "files: " + a.size());
    assertEquals(a, hashes(dir.resolve("b")));
    Map<String, String> c = hashes(dir.resolve("c"));
    assertNotEquals(
        a.get("detection/train/images/000000.png"), c.get("detection/train/images/000000.png"));
  }

  @Test
  void theThreeLayoutsAgreeAndRoundTripThroughTheReaders() {
    generate(dir, 9, syntheticGlyphs(), 16, 4);
    checkConsistency(dir, 16, 4);
  }

  /** Reads all three layouts back and checks boxes, masks and crops against one another. */
  static void checkConsistency(Path out, int train, int val) {
    Splits<DetectionSample> det = Datasets.detection(out.resolve("detection"), SplitRule.DEFAULT);
    Splits<SegmentationSample> seg =
        Datasets.segmentation(out.resolve("segmentation"), SplitRule.DEFAULT);
    Splits<ClassificationSample> cls =
        Datasets.classification(out.resolve("classification"), SplitRule.DEFAULT);
    assertTrue(det.fromFolders() && seg.fromFolders() && cls.fromFolders());
    assertEquals(FashionMnist.LABELS, det.train().labels());
    assertEquals("background", seg.train().labels().get(0));
    assertEquals(FashionMnist.LABELS, seg.train().labels().subList(1, 11));
    // ImageFolder orders classes by folder name; map its indices to Fashion-MNIST's by name.
    List<String> sorted = FashionMnist.LABELS.stream().sorted().toList();
    assertEquals(sorted, cls.val().labels());
    for (Split split : Split.values()) {
      int n = split == Split.TRAIN ? train : val;
      assertEquals(n, det.get(split).size());
      assertEquals(n, seg.get(split).size());
      int[] instancesPerClass = new int[10];
      for (int i = 0; i < n; i++) {
        DetectionSample d = det.get(split).get(i);
        SegmentationSample s = seg.get(split).get(i);
        assertEquals(d.id(), s.id() + ".png");
        assertTrue(!d.instances().isEmpty(), "scene without items: " + d.id());
        BitSet[] union = new BitSet[11];
        for (int c = 0; c < 11; c++) {
          union[c] = new BitSet();
        }
        for (Instance inst : d.instances()) {
          Rle rle = inst.mask().orElseThrow().toRle();
          Box bounds = rle.bounds().orElseThrow();
          assertEquals(bounds, inst.box(), "box = bounds of its mask in " + d.id());
          assertTrue(inst.box().xMin() >= 0 && inst.box().xMax() <= 64 && inst.box().yMax() <= 64);
          assertTrue(rle.area() >= SceneGenerator.MIN_PIXELS);
          BitSet bits = rle.toBits();
          for (int c = 0; c < 11; c++) {
            assertTrue(!bits.intersects(union[c]), "instances overlap in " + d.id());
          }
          union[inst.classIndex() + 1].or(bits);
          instancesPerClass[inst.classIndex()]++;
        }
        byte[] classes = s.mask().classes();
        for (int c = 1; c < 11; c++) {
          BitSet maskBits = new BitSet();
          for (int p = 0; p < classes.length; p++) {
            if (classes[p] == c) {
              maskBits.set(p);
            }
          }
          assertEquals(union[c], maskBits, "class " + c + " pixels in " + s.id());
        }
        assertEquals(d.image().getRGB(5, 7), s.image().getRGB(5, 7));
      }
      int[] cropsPerClass = new int[10];
      for (int i = 0; i < cls.get(split).size(); i++) {
        String label = sorted.get(cls.get(split).get(i).classIndex());
        cropsPerClass[FashionMnist.LABELS.indexOf(label)]++;
      }
      assertEquals(List.of(box(instancesPerClass)), List.of(box(cropsPerClass)));
    }
  }

  private static List<Integer> box(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }

  @Test
  void commandGeneratesFromDebianFashionMnist() {
    Assumptions.assumeTrue(
        FashionMnist.isPresent(FashionMnist.DEBIAN_DIR),
        "needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        PromptEdgeCli.run(
            new String[] {
              "data",
              "generate",
              "--out",
              dir.toString(),
              "--seed",
              "3",
              "--count",
              "16",
              "--val-count",
              "4"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("train: 16/16 scenes"), out.toString());
    assertTrue(out.toString().contains("wrote 20 scenes of 64x64"), out.toString());
    assertTrue(Files.isRegularFile(dir.resolve("recipe.json")));
    checkConsistency(dir, 16, 4);
  }

  @Test
  void commandRefusesAnUnknownSplit() {
    StringWriter err = new StringWriter();
    int code =
        PromptEdgeCli.run(
            new String[] {"data", "generate", "--out", dir.toString(), "--split", "test"},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--split takes train and/or val, got 'test'"), err.toString());
  }
}
