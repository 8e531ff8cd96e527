package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

  @TempDir Path dir;

  @Test
  void classesAreSortedFolderNames() throws Exception {
    TestImages.rgbPng(dir.resolve("zebra/1.png"), 2, 2);
    TestImages.rgbPng(dir.resolve("ant/b.jpg"), 3, 2);
    TestImages.rgbPng(dir.resolve("ant/a.png"), 2, 3);
    Files.writeString(dir.resolve("ant/notes.txt"), "skipped");
    Files.writeString(dir.resolve("README"), "skipped");
    ImageFolderDataset ds = ImageFolderDataset.open(dir);
    assertEquals(List.of("ant", "zebra"), ds.labels());
    assertEquals(3, ds.size());
    assertEquals("ant/a.png", ds.id(0));
    assertEquals("ant/b.jpg", ds.id(1));
    ClassificationSample z = ds.get(2);
    assertEquals("zebra/1.png", z.id());
    assertEquals(1, z.classIndex());
    assertEquals(3, ds.get(1).image().getWidth());
  }

  @Test
  void layoutProblemsFail() throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    DatasetException e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir));
    assertEquals(dir, e.file());
    assertEquals(
        "has no images in class folders (layout: ROOT/CLASS_NAME/IMAGE.png|jpg)", e.problem());

    TestImages.rgbPng(dir.resolve("full/x.png"), 2, 2);
    ImageFolderDataset ds = ImageFolderDataset.open(dir);
    assertEquals(List.of("empty", "full"), ds.labels());
    assertEquals(1, ds.get(0).classIndex());

    TestImages.rgbPng(dir.resolve("stray.png"), 2, 2);
    e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir));
    assertEquals(dir.resolve("stray.png"), e.file());

    Files.delete(dir.resolve("stray.png"));
    e = assertThrows(DatasetException.class, () -> ImageFolderDataset.open(dir, List.of("other")));
    assertEquals("folder is not one of the classes [other]", e.problem());
  }

  @Test
  void corruptImageFailsWhenDecoded() throws Exception {
    Files.createDirectories(dir.resolve("a"));
    Files.write(
        dir.resolve("a/bad.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0});
    ImageFolderDataset ds = ImageFolderDataset.open(dir);
    DatasetException e = assertThrows(DatasetException.class, () -> ds.get(0));
    assertEquals(dir.resolve("a/bad.png"), e.file());
  }
}
