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
        FashionMnistFolders.write(
            glyphs, 3, 30, Split.VAL, out, (s, done, n) -> progress.add(done));

    assertEquals(17, written, "images 3..19 of 20");
    assertEquals(17, progress.size());
    assertEquals(17, progress.get(16));
    assertFalse(Files.exists(out.resolve("val").resolve("stale")), "the split is replaced");
    assertFalse(Files.exists(out.resolve("val.partial")));
    ImageFolderDataset read = ImageFolderDataset.open(out.resolve("val"), FashionMnist.LABELS);
    assertEquals(17, read.size());
    for (int i = 0; i < read.size(); i++) {
      ClassificationSample sample = read.get(i);
      int index = Integer.parseInt(sample.file().getFileName().toString().replace(".png", ""));
      assertTrue(index >= 3, sample.file().toString());
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
  void aRangeOutsideTheFileIsRefused(@TempDir Path out) {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                FashionMnistFolders.write(
                    EvalGlyphs.glyphs(), 20, 5, Split.VAL, out, (s, d, n) -> {}));
    assertEquals("the first image 20 is outside the file's 20 images", e.getMessage());
    assertFalse(Files.exists(out.resolve("val")));
  }
}
