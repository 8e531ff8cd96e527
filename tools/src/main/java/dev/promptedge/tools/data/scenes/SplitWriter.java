package dev.promptedge.tools.data.scenes;

import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.MaskPng;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.json.JsonWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Writes the scenes of one split in the three layouts: {@code detection/SPLIT} (COCO), {@code
 * segmentation/SPLIT} (palette class masks) and {@code classification/SPLIT} (ImageFolder crops).
 * {@link #write} may be called from several threads for different scenes; {@link #finish} writes
 * the index files once all scenes are written.
 */
final class SplitWriter {

  /** Pixels of margin around an item's visible box in its classification crop. */
  static final int CROP_MARGIN = 2;

  private final Path detection;
  private final Path segmentation;
  private final Path classification;
  private final AtomicReferenceArray<List<Scene.Item>> items;

  SplitWriter(Path out, Split split, int count) throws IOException {
    this.detection = out.resolve("detection").resolve(split.dirName());
    this.segmentation = out.resolve("segmentation").resolve(split.dirName());
    this.classification = out.resolve("classification").resolve(split.dirName());
    Files.createDirectories(detection.resolve("images"));
    Files.createDirectories(segmentation.resolve("images"));
    Files.createDirectories(segmentation.resolve("masks"));
    for (String label : FashionMnist.LABELS) {
      Files.createDirectories(classification.resolve(label));
    }
    this.items = new AtomicReferenceArray<>(count);
  }

  static String sceneName(int index) {
    return String.format(Locale.ROOT, "%06d", index);
  }

  /** Writes scene {@code index}'s image, mask and crops, and keeps its items for the index. */
  void write(int index, Scene scene) {
    String name = sceneName(index);
    byte[] png = png(scene.image());
    int size = scene.image().getWidth();
    byte[] classes = new byte[size * size];
    for (Scene.Item item : scene.items()) {
      var bits = item.visible().toBits();
      for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
        classes[i] = (byte) (item.classIndex() + 1);
      }
    }
    try {
      Files.write(detection.resolve("images").resolve(name + ".png"), png);
      Files.write(segmentation.resolve("images").resolve(name + ".png"), png);
      Files.write(
          segmentation.resolve("masks").resolve(name + ".png"),
          MaskPng.toPalettePng(new ClassMask(size, size, classes)));
      for (int k = 0; k < scene.items().size(); k++) {
        Scene.Item item = scene.items().get(k);
        Files.write(
            classification
                .resolve(FashionMnist.LABELS.get(item.classIndex()))
                .resolve(name + "_" + k + ".png"),
            png(crop(scene.image(), item.box())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing scene " + name + " failed: " + e.getMessage(), e);
    }
    items.set(index, scene.items());
  }

  /** Writes {@code instances.json} and {@code labels.txt}; every scene must have been written. */
  void finish(int size) throws IOException {
    List<Object> images = new ArrayList<>();
    List<Object> annotations = new ArrayList<>();
    long annotationId = 1;
    for (int i = 0; i < items.length(); i++) {
      Map<String, Object> image = new LinkedHashMap<>();
      image.put("id", (long) i + 1);
      image.put("file_name", sceneName(i) + ".png");
      image.put("width", size);
      image.put("height", size);
      images.add(image);
      for (Scene.Item item : items.get(i)) {
        Box b = item.box();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", annotationId++);
        a.put("image_id", (long) i + 1);
        a.put("category_id", item.classIndex() + 1);
        a.put("bbox", List.of((int) b.xMin(), (int) b.yMin(), (int) b.width(), (int) b.height()));
        a.put("area", item.visible().area());
        a.put("iscrowd", 0);
        Map<String, Object> rle = new LinkedHashMap<>();
        rle.put("size", List.of(size, size));
        rle.put("counts", item.visible().toCompactString());
        a.put("segmentation", rle);
        annotations.add(a);
      }
    }
    List<Object> categories = new ArrayList<>();
    for (int c = 0; c < FashionMnist.LABELS.size(); c++) {
      Map<String, Object> cat = new LinkedHashMap<>();
      cat.put("id", c + 1);
      cat.put("name", FashionMnist.LABELS.get(c));
      cat.put("supercategory", "fashion");
      categories.add(cat);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("info", Map.of("description", "PromptEdge generated Fashion-MNIST scenes"));
    root.put("images", images);
    root.put("annotations", annotations);
    root.put("categories", categories);
    Files.writeString(
        detection.resolve("instances.json"), JsonWriter.write(root) + "\n", StandardCharsets.UTF_8);
    StringBuilder labels = new StringBuilder("background\n");
    for (String l : FashionMnist.LABELS) {
      labels.append(l).append('\n');
    }
    Files.writeString(segmentation.resolve("labels.txt"), labels, StandardCharsets.UTF_8);
  }

  private static BufferedImage crop(BufferedImage image, Box box) {
    int x0 = Math.max(0, (int) box.xMin() - CROP_MARGIN);
    int y0 = Math.max(0, (int) box.yMin() - CROP_MARGIN);
    int x1 = Math.min(image.getWidth(), (int) box.xMax() + CROP_MARGIN);
    int y1 = Math.min(image.getHeight(), (int) box.yMax() + CROP_MARGIN);
    BufferedImage out = new BufferedImage(x1 - x0, y1 - y0, BufferedImage.TYPE_INT_RGB);
    out.setRGB(
        0,
        0,
        x1 - x0,
        y1 - y0,
        image.getRGB(x0, y0, x1 - x0, y1 - y0, null, 0, x1 - x0),
        0,
        x1 - x0);
    return out;
  }

  static byte[] png(BufferedImage image) {
    return PngBytes.encode(image);
  }
}
