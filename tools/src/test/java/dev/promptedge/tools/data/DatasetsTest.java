package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir Path dir;

  private static List<String> ids(SampleSet<?> d) {
    return java.util.stream.IntStream.range(0, d.size()).mapToObj(d::id).toList();
  }

  @Test
  void ruleSplitIsDeterministicDisjointAndSized() throws Exception {
    for (int i = 0; i < 20; i++) {
      TestImages.rgbPng(dir.resolve((i % 2 == 0 ? "a" : "b") + "/" + i + ".png"), 2, 2);
    }
    Splits<ClassificationSample> s = Datasets.classification(dir, new SplitRule(5, 0.25));
    assertFalse(s.fromFolders());
    assertEquals(15, s.train().size());
    assertEquals(5, s.val().size());
    Set<String> all = new HashSet<>(ids(s.train()));
    all.addAll(ids(s.val()));
    assertEquals(20, all.size());
    assertEquals(ids(s.val()), ids(Datasets.classification(dir, new SplitRule(5, 0.25)).val()));
    assertNotEquals(ids(s.val()), ids(Datasets.classification(dir, new SplitRule(6, 0.25)).val()));
    assertEquals(List.of("a", "b"), s.val().labels());
  }

  @Test
  void trainAndValFoldersAreTheSplits() throws Exception {
    TestImages.rgbPng(dir.resolve("train/a/1.png"), 2, 2);
    TestImages.rgbPng(dir.resolve("train/b/2.png"), 2, 2);
    TestImages.rgbPng(dir.resolve("val/b/3.png"), 2, 2);
    Splits<ClassificationSample> s = Datasets.classification(dir, SplitRule.DEFAULT);
    assertTrue(s.fromFolders());
    assertEquals(2, s.train().size());
    assertEquals(List.of("a", "b"), s.val().labels());
    assertEquals(1, s.get(Split.VAL).get(0).classIndex());
  }

  @Test
  void onlyOneSplitFolderFails() throws Exception {
    TestImages.rgbPng(dir.resolve("train/a/1.png"), 2, 2);
    DatasetException e =
        assertThrows(DatasetException.class, () -> Datasets.classification(dir, SplitRule.DEFAULT));
    assertEquals("has train/ but no val/; give both split folders or neither", e.problem());
  }
}
