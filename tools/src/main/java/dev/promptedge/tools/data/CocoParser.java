package dev.promptedge.tools.data;

import dev.promptedge.runtime.image.Box;
import dev.promptedge.tools.json.Json;
import dev.promptedge.tools.json.JsonException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Parses and checks one COCO instances file into a {@link CocoDataset}. Used once. */
final class CocoParser {

  private final Path file;
  private final Path imageDir;
  private final JsonFields f;

  CocoParser(Path file, Path imageDir) {
    this.file = file;
    this.imageDir = imageDir.toAbsolutePath().normalize();
    this.f = new JsonFields(file);
  }

  CocoDataset parse() {
    Map<String, Object> root = f.object(readJson(), "top level");
    TreeMap<Long, String> categories = categories(root);
    List<Long> ids = new ArrayList<>(categories.keySet());
    Map<Long, Integer> classIndex = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      classIndex.put(ids.get(i), i);
    }

    List<Object> imageList = f.array(f.required(root, "images", "top level"), "images");
    Map<Long, ImageEntry> images = new HashMap<>();
    List<ImageEntry> order = new ArrayList<>();
    for (int i = 0; i < imageList.size(); i++) {
      ImageEntry e = image(imageList.get(i), i);
      ImageEntry previous = images.putIfAbsent(e.id, e);
      if (previous != null) {
        throw f.error(
            "images[" + i + "]",
            "duplicate image id " + e.id + " (also images[" + previous.index + "])");
      }
      order.add(e);
    }

    Object annotationValue = root.get("annotations");
    List<Object> annotations =
        annotationValue == null ? List.of() : f.array(annotationValue, "annotations");
    Set<Long> annotationIds = new HashSet<>();
    for (int i = 0; i < annotations.size(); i++) {
      String where = "annotations[" + i + "]";
      Map<String, Object> a = f.object(annotations.get(i), where);
      if (a.containsKey("id") && !annotationIds.add(f.integer(a.get("id"), where + ".id"))) {
        throw f.error(where, "duplicate annotation id " + a.get("id"));
      }
      long imageId = f.integer(f.required(a, "image_id", where), where + ".image_id");
      ImageEntry image = images.get(imageId);
      if (image == null) {
        throw f.error(where, "unknown image id " + imageId + " (not in \"images\")");
      }
      long categoryId = f.integer(f.required(a, "category_id", where), where + ".category_id");
      Integer cls = classIndex.get(categoryId);
      if (cls == null) {
        throw f.error(
            where, "unknown category id " + categoryId + " (known: " + categories.keySet() + ")");
      }
      image.instances.add(instance(a, where, image, cls, categoryId));
    }

    List<CocoDataset.CocoImage> out = new ArrayList<>(order.size());
    for (ImageEntry e : order) {
      if (!Files.isRegularFile(e.file)) {
        throw new DatasetException(
            e.file,
            "image file is missing (images[" + e.index + "], id " + e.id + ", in " + file + ")");
      }
      out.add(new CocoDataset.CocoImage(e.id, e.fileName, e.file, e.width, e.height, e.instances));
    }
    long[] categoryIds = ids.stream().mapToLong(Long::longValue).toArray();
    return new CocoDataset(file, new ArrayList<>(categories.values()), categoryIds, out);
  }

  private Object readJson() {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new DatasetException(file, "not UTF-8 text", e);
    } catch (IOException e) {
      throw new DatasetException(file, "cannot read the annotation file: " + e, e);
    }
    try {
      return Json.parse(text);
    } catch (JsonException e) {
      throw new DatasetException(file, e.getMessage(), e);
    }
  }

  private TreeMap<Long, String> categories(Map<String, Object> root) {
    List<Object> list = f.array(f.required(root, "categories", "top level"), "categories");
    TreeMap<Long, String> categories = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "categories[" + i + "]";
      Map<String, Object> c = f.object(list.get(i), where);
      long id = f.integer(f.required(c, "id", where), where + ".id");
      String name = f.string(f.required(c, "name", where), where + ".name");
      if (categories.put(id, name) != null) {
        throw f.error(where, "duplicate category id " + id);
      }
    }
    if (categories.isEmpty()) {
      throw f.error("categories", "no categories");
    }
    return categories;
  }

  private ImageEntry image(Object value, int index) {
    String where = "images[" + index + "]";
    Map<String, Object> o = f.object(value, where);
    long id = f.integer(f.required(o, "id", where), where + ".id");
    String name = f.string(f.required(o, "file_name", where), where + ".file_name");
    long w = f.integer(f.required(o, "width", where), where + ".width");
    long h = f.integer(f.required(o, "height", where), where + ".height");
    if (w < 1 || h < 1 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
      throw f.error(
          where,
          (w < 0 || h < 0 ? "negative" : "invalid")
              + " image size "
              + w
              + "x"
              + h
              + " (id "
              + id
              + ")");
    }
    Path path = imageDir.resolve(name).normalize();
    if (name.isEmpty() || !path.startsWith(imageDir) || path.equals(imageDir)) {
      throw f.error(where, "file_name \"" + name + "\" does not name a file inside " + imageDir);
    }
    return new ImageEntry(index, id, name, path, (int) w, (int) h);
  }

  private Instance instance(
      Map<String, Object> a, String where, ImageEntry image, int cls, long categoryId) {
    double[] b = f.numbers(f.required(a, "bbox", where), where + ".bbox");
    if (b.length != 4) {
      throw f.error(
          where + ".bbox", "expected [x, y, width, height], got " + b.length + " numbers");
    }
    if (b[2] < 0 || b[3] < 0) {
      throw f.error(
          where + ".bbox", "negative box size " + fmt(b[2]) + "x" + fmt(b[3]) + " in " + show(b));
    }
    double t = CocoDataset.BOX_TOLERANCE;
    if (b[0] < -t || b[1] < -t || b[0] + b[2] > image.width + t || b[1] + b[3] > image.height + t) {
      throw f.error(
          where + ".bbox",
          "box "
              + show(b)
              + " lies outside the "
              + image.width
              + "x"
              + image.height
              + " image "
              + image.id
              + " by more than "
              + fmt(t)
              + " pixel");
    }
    Box box =
        new Box(
            (float) clamp(b[0], image.width),
            (float) clamp(b[1], image.height),
            (float) clamp(b[0] + b[2], image.width),
            (float) clamp(b[1] + b[3], image.height));
    boolean crowd = false;
    Object c = a.get("iscrowd");
    if (c != null) {
      long v = f.integer(c, where + ".iscrowd");
      if (v != 0 && v != 1) {
        throw f.error(where + ".iscrowd", "expected 0 or 1, got " + v);
      }
      crowd = v == 1;
    }
    Object seg = a.get("segmentation");
    Optional<InstanceMask> mask =
        seg == null || seg == Json.NULL
            ? Optional.empty()
            : Optional.of(segmentation(seg, where + ".segmentation", image));
    return new Instance(cls, categoryId, box, crowd, mask);
  }

  private InstanceMask segmentation(Object seg, String where, ImageEntry image) {
    if (seg instanceof List) {
      List<Object> polys = f.array(seg, where);
      List<double[]> out = new ArrayList<>();
      for (int i = 0; i < polys.size(); i++) {
        double[] p = f.numbers(polys.get(i), where + "[" + i + "]");
        if (p.length < 6 || p.length % 2 != 0) {
          throw f.error(
              where + "[" + i + "]",
              "a polygon needs an even number of at least 6 coordinates, got " + p.length);
        }
        out.add(p);
      }
      return new PolygonMask(image.width, image.height, out);
    }
    Map<String, Object> rle = f.object(seg, where);
    double[] size = f.numbers(f.required(rle, "size", where), where + ".size");
    if (size.length != 2 || size[0] != image.height || size[1] != image.width) {
      throw f.error(
          where + ".size",
          "RLE size "
              + show(size)
              + " does not match the image's [height, width] ["
              + image.height
              + ", "
              + image.width
              + "]");
    }
    Object counts = f.required(rle, "counts", where);
    try {
      if (counts instanceof String s) {
        return Rle.fromCompactString(s, image.width, image.height);
      }
      double[] values = f.numbers(counts, where + ".counts");
      int[] ints = new int[values.length];
      for (int i = 0; i < ints.length; i++) {
        if (values[i] != Math.rint(values[i]) || values[i] > Integer.MAX_VALUE) {
          throw f.error(where + ".counts[" + i + "]", "expected an integer run length");
        }
        ints[i] = (int) values[i];
      }
      return new Rle(image.width, image.height, ints);
    } catch (IllegalArgumentException e) {
      throw f.error(where + ".counts", e.getMessage());
    }
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static String show(double[] values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i > 0 ? ", " : "").append(fmt(values[i]));
    }
    return sb.append(']').toString();
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.3f", v);
  }

  /** A parsed image entry collecting its instances. */
  private static final class ImageEntry {
    final int index;
    final long id;
    final String fileName;
    final Path file;
    final int width;
    final int height;
    final List<Instance> instances = new ArrayList<>();

    ImageEntry(int index, long id, String fileName, Path file, int width, int height) {
      this.index = index;
      this.id = id;
      this.fileName = fileName;
      this.file = file;
      this.width = width;
      this.height = height;
    }
  }
}
