package dev.promptedge.tools.demo;

import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's files, embedded in the tool's jar: per demo backbone its card, model files and two
 * trained bundles (from {@code models/demo} or {@code models/nanodet}), and a few validation scenes
 * with their truth shared by both. Copies them out into a folder.
 */
public final class DemoAssets {

  /** The folder of the scenes inside an extracted demo. */
  static final String SCENES = "scenes";

  private static final String SCENES_ROOT = "/demo/models/";

  /**
   * One demo backbone's files in the jar.
   *
   * @param root resource folder holding them
   * @param source the repository folder they come from, whose README says how they were made
   * @param card the card's file name
   * @param models the model files shipped (a card may name a float model that is not)
   * @param detect the detection bundle's file name
   * @param segment the segmentation bundle's file name
   */
  public record Kit(
      String root, String source, String card, List<String> models, String detect, String segment) {

    /** Copies the model list. */
    public Kit {
      models = List.copyOf(models);
    }

    List<String> all() {
      List<String> names = new ArrayList<>(models);
      names.add(0, card);
      names.add(detect);
      names.add(segment);
      return names;
    }
  }

  /** The demo ViT (models/demo): pretrained here on the scenes' own kind of images. */
  public static final Kit VIT =
      new Kit(
          "/demo/models/",
          "models/demo",
          "demo-vit.card.textproto",
          List.of("demo-vit.tflite", "demo-vit-int8.tflite"),
          "fashion-detect.bundle",
          "fashion-segment.bundle");

  /**
   * NanoDet-g (models/nanodet): COCO-pretrained by others, int8 only (the float is 13 MB), as
   * TFLite and as ONNX QDQ.
   */
  public static final Kit NANODET =
      new Kit(
          "/demo/nanodet/",
          "models/nanodet",
          "nanodet-g-128.card.textproto",
          List.of("nanodet-g-128-int8.tflite", "nanodet-g-128-int8.onnx"),
          "nanodet-detect.bundle",
          "nanodet-segment.bundle");

  private DemoAssets() {}

  /** Copies the demo ViT's files and the scenes into {@code dir}; returns the scene file names. */
  public static List<String> extract(Path dir) throws IOException {
    return extract(VIT, dir);
  }

  /** Copies {@code kit} and the scenes into {@code dir}; returns the scene file names. */
  public static List<String> extract(Kit kit, Path dir) throws IOException {
    for (String name : kit.all()) {
      copy(kit.root() + name, name, dir);
    }
    String detection = SCENES + "/detection/val/";
    String segmentation = SCENES + "/segmentation/val/";
    copyScene(detection + "instances.json", dir);
    copyScene(segmentation + "labels.txt", dir);
    List<String> images = new ArrayList<>();
    Object coco =
        Json.parse(
            Files.readString(dir.resolve(detection + "instances.json"), StandardCharsets.UTF_8));
    for (Object image : (List<?>) ((Map<?, ?>) coco).get("images")) {
      String file = (String) ((Map<?, ?>) image).get("file_name");
      copyScene(detection + "images/" + file, dir);
      copyScene(segmentation + "images/" + file, dir);
      copyScene(segmentation + "masks/" + file, dir);
      images.add(file);
    }
    return images;
  }

  private static void copyScene(String name, Path dir) throws IOException {
    copy(SCENES_ROOT + name, name, dir);
  }

  private static void copy(String resource, String name, Path dir) throws IOException {
    try (InputStream in = DemoAssets.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException(
            "demo file "
                + resource
                + " is missing from the jar: build with ./mvnw -B -ntp -DskipTests package");
      }
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      AtomicFiles.write(target, in.readAllBytes());
    }
  }
}
