package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.cli.EvalGlyphs;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistFoldersTest {

  @Test
  void eachGlyphBecomesAPngUnderItsClassThatTheImageFolderReaderGivesBack(@TempDir Path out)
      throws Exception {
    FashionMnist glyphs = EvalGlyphs.glyphs();
    List<Integer> progress = new ArrayList<>();
    Files.createDirectories(out.resolve("val").resolve("stale"));

    int written =
        FashionMnistFolders.write(glyphs, Split.VAL, 15, out, (s, done, n) -> progress.add(done));

    assertEquals(15, written);
    assertEquals(15, progress.size());
    assertEquals(15, progress.get(14));
    assertFalse(Files.exists(out.resolve("val").resolve("stale")), "the split is replaced");
    assertFalse(Files.exists(out.resolve("val.partial")));
    ImageFolderDataset read = ImageFolderDataset.open(out.resolve("val"), FashionMnist.LABELS);
    assertEquals(15, read.size());
    for (int i = 0; i < read.size(); i++) {
      ClassificationSample sample = read.get(i);
      int index = Integer.parseInt(sample.file().getFileName().toString().replace(".png", ""));
      assertEquals(glyphs.label(index), sample.classIndex(), sample.file().toString());
      BufferedImage image = sample.image();
      assertEquals(FashionMnist.SIDE, image.getWidth());
      for (int y = 0; y < FashionMnist.SIDE; y++) {
        for (int x = 0; x < FashionMnist.SIDE; x++) {
          int rgb = image.getRGB(x, y);
          assertEquals(glyphs.pixel(index, x, y), rgb & 0xFF, sample.file() + " at " + x + "," + y);
          assertEquals(rgb & 0xFF, (rgb >> 16) & 0xFF, "grey");
        }
      }
    }
  }

  @Test
  void theDebianTestSetIsWrittenWholeWithAThousandImagesPerClass(@TempDir Path out)
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        FashionMnist.isPresent(FashionMnist.DEBIAN_DIR),
        "needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)");
    FashionMnist test = FashionMnist.read(FashionMnist.DEBIAN_DIR, Split.VAL);

    assertEquals(10_000, FashionMnistFolders.write(test, Split.VAL, 60_000, out, (s, d, n) -> {}));

    for (String label : FashionMnist.LABELS) {
      try (var files = Files.list(out.resolve("val").resolve(label))) {
        assertEquals(1000, files.count(), label);
      }
    }
    assertTrue(Files.isRegularFile(out.resolve("val").resolve("ankle_boot").resolve("00000.png")));
  }
}
