package dev.promptedge.tools.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.image.Box;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoDatasetTest {

  @TempDir Path dir;

  static final String IMAGES =
      "\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 6, \"height\": 5},"
          + " {\"id\": 3, \"file_name\": \"sub/b.png\", \"width\": 4, \"height\": 3}]";
  static final String CATEGORIES =
      "\"categories\": [{\"id\": 20, \"name\": \"cat\"}, {\"id\": 4, \"name\": \"dog\"}]";

  @BeforeEach
  void images() throws Exception {
    TestImages.rgbPng(dir.resolve("images/a.png"), 6, 5);
    TestImages.rgbPng(dir.resolve("images/sub/b.png"), 4, 3);
  }

  private CocoDataset open(String annotations) throws Exception {
    return open(IMAGES, annotations, CATEGORIES);
  }

  private CocoDataset open(String images, String annotations, String categories) throws Exception {
    String json = "{" + images + ", \"annotations\": [" + annotations + "], " + categories + "}";
    Files.writeString(dir.resolve("instances.json"), json);
    return CocoDataset.open(dir.resolve("instances.json"), dir.resolve("images"));
  }

  @Test
  void readsBoxesPolygonsAndBothRleForms() throws Exception {
    CocoDataset ds =
        open(
            "{\"id\": 1, \"image_id\": 7, \"category_id\": 20, \"bbox\": [1, 1, 3, 2],"
                + " \"iscrowd\": 0, \"segmentation\": [[1, 1, 4, 1, 4, 3, 1, 3]]},"
                + " {\"id\": 2, \"image_id\": 3, \"category_id\": 4, \"bbox\": [1, 0, 2, 2],"
                + " \"iscrowd\": 1, \"segmentation\": {\"size\": [3, 4], \"counts\": [3, 2, 2, 1, 4]}},"
                + " {\"id\": 3, \"image_id\": 3, \"category_id\": 20, \"bbox\": [0, 0, 1, 1],"
                + " \"segmentation\": {\"size\": [3, 4], \"counts\": \"01;\"}},"
                + " {\"id\": 4, \"image_id\": 3, \"category_id\": 4, \"bbox\": [-0.5, 0, 5, 3.5]}");
    // Labels in category-id order: 4 dog, 20 cat.
    assertEquals(List.of("dog", "cat"), ds.labels());
    assertEquals(4, ds.categoryId(0));
    assertEquals(20, ds.categoryId(1));
    assertEquals(2, ds.size());
    assertEquals("a.png", ds.id(0));

    DetectionSample a = ds.get(0);
    assertEquals(7, a.imageId());
    assertEquals(6, a.image().getWidth());
    Instance square = a.instances().get(0);
    assertEquals(1, square.classIndex());
    assertEquals(new Box(1, 1, 4, 3), square.box());
    assertFalse(square.crowd());
    Rle squareRle = square.mask().orElseThrow().toRle();
    assertEquals(6, squareRle.area());
    assertEquals(square.box(), squareRle.bounds().orElseThrow());

    DetectionSample b = ds.get(1);
    assertEquals(3, b.instances().size());
    Instance crowd = b.instances().get(0);
    assertTrue(crowd.crowd());
    assertEquals(0, crowd.classIndex());
    Rle listRle = crowd.mask().orElseThrow().toRle();
    assertEquals(3, listRle.area());
    assertEquals(new Box(1, 0, 3, 2), listRle.bounds().orElseThrow());
    // "01;" = counts [0, 1, 11]: pixel (0, 0) only.
    Rle compact = (Rle) b.instances().get(1).mask().orElseThrow();
    assertEquals(1, compact.area());
    assertEquals(new Box(0, 0, 1, 1), compact.bounds().orElseThrow());
    // Within the 1-pixel tolerance, clamped to the image; no segmentation.
    Instance loose = b.instances().get(2);
    assertEquals(new Box(0, 0, 4, 3), loose.box());
    assertTrue(loose.mask().isEmpty());
  }

  private void assertFails(String annotations, String expectedFile, String... parts)
      throws Exception {
    assertFailsWith(IMAGES, annotations, CATEGORIES, expectedFile, parts);
  }

  private void assertFailsWith(
      String images, String annotations, String categories, String expectedFile, String... parts)
      throws Exception {
    DatasetException e =
        assertThrows(DatasetException.class, () -> open(images, annotations, categories));
    assertTrue(e.file().endsWith(expectedFile), e.file() + " for " + e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), e.getMessage() + " lacks " + p);
    }
  }

  @Test
  void eachMalformedAnnotationFailsNamingTheFileAndProblem() throws Exception {
    assertFails(
        "{\"image_id\": 7, \"category_id\": 99, \"bbox\": [0, 0, 1, 1]}",
        "instances.json",
        "annotations[0]: unknown category id 99 (known: [4, 20])");
    assertFails(
        "{\"image_id\": 8, \"category_id\": 4, \"bbox\": [0, 0, 1, 1]}",
        "instances.json",
        "unknown image id 8");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [2, 1, 6, 2]}",
        "instances.json",
        "annotations[0].bbox: box [2, 1, 6, 2] lies outside the 6x5 image 7 by more than 1 pixel");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [1, 1, -2, 2]}",
        "instances.json",
        "negative box size -2x2");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [1, 1, 2]}",
        "instances.json",
        "expected [x, y, width, height], got 3 numbers");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [0, 0, 1, 1],"
            + " \"segmentation\": {\"size\": [6, 5], \"counts\": [30]}}",
        "instances.json",
        "RLE size [6, 5] does not match the image's [height, width] [5, 6]");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [0, 0, 1, 1],"
            + " \"segmentation\": {\"size\": [5, 6], \"counts\": [3, 4]}}",
        "instances.json",
        "counts: RLE counts sum to 7 pixels");
    assertFails(
        "{\"image_id\": 7, \"category_id\": 4, \"bbox\": [0, 0, 1, 1], \"segmentation\": [[1, 2,"
            + " 3]]}",
        "instances.json",
        "segmentation[0]: a polygon needs an even number of at least 6 coordinates, got 3");
    assertFails(
        "{\"image_id\": 7, \"category_id\": \"4\", \"bbox\": [0, 0, 1, 1]}",
        "instances.json",
        "category_id: expected an integer, got the string \"4\"");
  }

  @Test
  void malformedImagesAndCategoriesFail() throws Exception {
    assertFailsWith(
        "\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 6, \"height\": 5},"
            + " {\"id\": 7, \"file_name\": \"sub/b.png\", \"width\": 4, \"height\": 3}]",
        "",
        CATEGORIES,
        "instances.json",
        "images[1]: duplicate image id 7 (also images[0])");
    assertFailsWith(
        "\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": -6, \"height\": 5}]",
        "",
        CATEGORIES,
        "instances.json",
        "images[0]: negative image size -6x5");
    assertFailsWith(
        "\"images\": [{\"id\": 1, \"file_name\": \"gone.png\", \"width\": 6, \"height\": 5}]",
        "",
        CATEGORIES,
        "gone.png",
        "image file is missing (images[0], id 1, in ");
    assertFailsWith(
        "\"images\": [{\"id\": 1, \"file_name\": \"../instances.json\", \"width\": 6, \"height\":"
            + " 5}]",
        "",
        CATEGORIES,
        "instances.json",
        "file_name \"../instances.json\" does not name a file inside");
    assertFailsWith(
        IMAGES,
        "",
        "\"categories\": [{\"id\": 1, \"name\": \"a\"}, {\"id\": 1, \"name\": \"b\"}]",
        "instances.json",
        "categories[1]: duplicate category id 1");
  }

  @Test
  void malformedJsonNamesLineAndColumn() throws Exception {
    Files.writeString(dir.resolve("instances.json"), "{\"images\": [\n  {\"id\": 1,}\n]}");
    DatasetException e =
        assertThrows(
            DatasetException.class,
            () -> CocoDataset.open(dir.resolve("instances.json"), dir.resolve("images")));
    assertEquals(
        dir.resolve("instances.json")
            + ": malformed JSON at line 2, column 13: expected a string key",
        e.getMessage());
  }

  @Test
  void imageWhoseSizeDiffersFromTheJsonFailsWhenDecoded() throws Exception {
    CocoDataset ds =
        open(
            "\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 7, \"height\": 5}]",
            "",
            CATEGORIES);
    DatasetException e = assertThrows(DatasetException.class, () -> ds.get(0));
    assertTrue(
        e.getMessage().endsWith("a.png: image is 6x5 but instances.json says 7x5 (image id 7)"),
        e.getMessage());
  }
}
