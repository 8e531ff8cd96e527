package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.FashionMnist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFashionMnistCommandTest {

  @TempDir Path dir;

  @BeforeAll
  static void needsTheDataset() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FashionMnist.isPresent(FashionMnist.DEBIAN_DIR),
        "needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
  }

  @Test
  void theTestSetIsTheDefaultValWithAThousandImagesPerClass() throws Exception {
    Path out = dir.resolve("test");
    Cli cli = Cli.run("data", "fashion-mnist", "--out", out.toString(), "--split", "val");
    cli.expect(0);

    assertTrue(cli.out().contains("wrote 10000 val images (test images 0..9999)"), cli.out());
    assertFalse(Files.exists(out.resolve("train")), "--split val writes val only");
    for (String label : FashionMnist.LABELS) {
      assertEquals(1000, names(out.resolve("val").resolve(label)).size(), label);
    }
    assertTrue(names(out.resolve("val").resolve("ankle_boot")).contains("00000.png"));
  }

  @Test
  void aHeldOutValComesFromTheTrainingImagesAfterTheTrainOnes() throws Exception {
    Path out = dir.resolve("held-out");
    Cli.run(
            "data",
            "fashion-mnist",
            "--out",
            out.toString(),
            "--train-count",
            "30",
            "--val-count",
            "20",
            "--val-from",
            "train")
        .expect(0);

    List<Integer> train = indices(out.resolve("train"));
    List<Integer> val = indices(out.resolve("val"));
    assertEquals(30, train.size());
    assertEquals(0, train.get(0));
    assertEquals(29, train.get(29));
    assertEquals(20, val.size());
    assertEquals(30, val.get(0), "val starts after the train images: no overlap");
    assertEquals(49, val.get(19));
  }

  @Test
  void badChoicesAreOneUsageLine() {
    String line =
        Cli.run("data", "fashion-mnist", "--out", dir.toString(), "--val-from", "eval")
            .expect(2)
            .oneErrorLine();
    assertTrue(line.contains("--val-from takes test or train, got 'eval'"), line);
    line =
        Cli.run(
                "data",
                "fashion-mnist",
                "--out",
                dir.toString(),
                "--val-from",
                "train",
                "--split",
                "val")
            .expect(2)
            .oneErrorLine();
    assertTrue(line.contains("needs training images after the first 60000"), line);
  }

  private static List<String> names(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<Integer> indices(Path split) throws Exception {
    try (Stream<Path> files = Files.walk(split)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> Integer.parseInt(p.getFileName().toString().replace(".png", "")))
          .sorted()
          .toList();
    }
  }
}
