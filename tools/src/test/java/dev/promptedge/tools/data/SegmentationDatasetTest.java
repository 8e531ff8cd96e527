package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationDatasetTest {

  @TempDir Path dir;

  @BeforeEach
  void labels() throws Exception {
    Files.writeString(dir.resolve("labels.txt"), "background\nshoe\nbag\n");
  }

  @Test
  void readsPaletteAndGreyMasksWithIgnore() throws Exception {
    TestImages.rgbPng(dir.resolve("images/p.png"), 3, 2);
    TestImages.palettePng(dir.resolve("masks/p.png"), 3, 2, new int[] {0, 1, 2, 255, 1, 0});
    TestImages.rgbPng(dir.resolve("images/g.jpg"), 2, 2);
    TestImages.greyPng(dir.resolve("masks/g.png"), 2, 2, new int[] {2, 2, 0, 1});

    SegmentationDataset ds = SegmentationDataset.open(dir);
    assertEquals(List.of("background", "shoe", "bag"), ds.labels());
    assertEquals(2, ds.size());
    assertEquals("g", ds.id(0)); // name order
    SegmentationSample g = ds.get(0);
    assertArrayEquals(new byte[] {2, 2, 0, 1}, g.mask().classes());
    SegmentationSample p = ds.get(1);
    assertEquals(1, p.mask().classAt(1, 0));
    assertEquals(ClassMask.IGNORE, p.mask().classAt(0, 1));
    assertEquals(3, p.image().getWidth());
  }

  @Test
  void maskPngWritersRoundTrip() throws Exception {
    ClassMask m = new ClassMask(3, 1, new byte[] {0, 7, (byte) 255});
    Files.write(dir.resolve("pal.png"), MaskPng.toPalettePng(m));
    Files.write(dir.resolve("grey.png"), MaskPng.toGreyPng(m));
    assertEquals(m, MaskPng.read(dir.resolve("pal.png")));
    assertEquals(m, MaskPng.read(dir.resolve("grey.png")));
    assertArrayEquals(MaskPng.toPalettePng(m), MaskPng.toPalettePng(m));
  }

  @Test
  void maskSizeDifferentFromImageNamesBothSizes() throws Exception {
    TestImages.rgbPng(dir.resolve("images/a.png"), 3, 2);
    TestImages.greyPng(dir.resolve("masks/a.png"), 2, 2, new int[4]);
    DatasetException e = assertThrows(DatasetException.class, () -> SegmentationDataset.open(dir));
    assertEquals(dir.resolve("masks/a.png"), e.file());
    assertEquals("mask is 2x2 but its image a.png is 3x2", e.problem());
  }

  @Test
  void classIndexBeyondTheLabelsFailsWhenRead() throws Exception {
    TestImages.rgbPng(dir.resolve("images/a.png"), 2, 2);
    TestImages.palettePng(dir.resolve("masks/a.png"), 2, 2, new int[] {0, 1, 2, 3});
    SegmentationDataset ds = SegmentationDataset.open(dir);
    DatasetException e = assertThrows(DatasetException.class, () -> ds.get(0));
    assertEquals(dir.resolve("masks/a.png"), e.file());
    assertEquals(
        "class index 3 at pixel (1, 1) is beyond the 3 classes of labels.txt (0..2, or 255 to"
            + " ignore)",
        e.problem());
  }

  @Test
  void missingMaskAndLabelProblemsFail() throws Exception {
    TestImages.rgbPng(dir.resolve("images/a.png"), 2, 2);
    Files.createDirectories(dir.resolve("masks"));
    DatasetException e = assertThrows(DatasetException.class, () -> SegmentationDataset.open(dir));
    assertEquals(dir.resolve("masks/a.png"), e.file());
    assertTrue(e.problem().startsWith("mask is missing for image"), e.problem());

    Files.writeString(dir.resolve("labels.txt"), "background\n\nbag\n");
    e = assertThrows(DatasetException.class, () -> SegmentationDataset.open(dir));
    assertEquals("line 2 is empty; every line names a class", e.problem());
    Files.writeString(dir.resolve("labels.txt"), "a\nb\na\n");
    e = assertThrows(DatasetException.class, () -> SegmentationDataset.open(dir));
    assertEquals("line 3 repeats the class \"a\"", e.problem());
    Files.delete(dir.resolve("labels.txt"));
    e = assertThrows(DatasetException.class, () -> SegmentationDataset.open(dir));
    assertTrue(e.problem().startsWith("labels file is missing"));
  }

  @Test
  void rgbMaskIsRefused() throws Exception {
    TestImages.rgbPng(dir.resolve("images/a.png"), 2, 2);
    TestImages.rgbPng(dir.resolve("masks/a.png"), 2, 2);
    SegmentationDataset ds = SegmentationDataset.open(dir);
    DatasetException e = assertThrows(DatasetException.class, () -> ds.get(0));
    assertTrue(e.problem().contains("expected a palette PNG"), e.problem());
  }
}
