package dev.promptedge.tools.cli;

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
 * The demo's files, embedded in the tool's jar from {@code models/demo}: the demo backbone, its two
 * trained bundles and a few validation scenes with their truth. Copies them out into a folder.
 */
final class DemoAssets {

  static final String CARD = "demo-vit.card.textproto";
  static final String DETECT = "fashion-detect.bundle";
  static final String SEGMENT = "fashion-segment.bundle";
  static final List<String> MODELS =
      List.of(CARD, "demo-vit.tflite", "demo-vit-int8.tflite", DETECT, SEGMENT);
  static final String SCENES = "scenes";

  private static final String ROOT = "/demo/models/";

  private DemoAssets() {}

  /** Copies the models, bundles and scenes into {@code dir}; returns the scene file names. */
  static List<String> extract(Path dir) throws IOException {
    for (String name : MODELS) {
      copy(name, dir);
    }
    String detection = SCENES + "/detection/val/";
    String segmentation = SCENES + "/segmentation/val/";
    copy(detection + "instances.json", dir);
    copy(segmentation + "labels.txt", dir);
    List<String> images = new ArrayList<>();
    Object coco =
        Json.parse(
            Files.readString(dir.resolve(detection + "instances.json"), StandardCharsets.UTF_8));
    for (Object image : (List<?>) ((Map<?, ?>) coco).get("images")) {
      String file = (String) ((Map<?, ?>) image).get("file_name");
      copy(detection + "images/" + file, dir);
      copy(segmentation + "images/" + file, dir);
      copy(segmentation + "masks/" + file, dir);
      images.add(file);
    }
    return images;
  }

  private static void copy(String name, Path dir) throws IOException {
    try (InputStream in = DemoAssets.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IOException(
            "demo file "
                + name
                + " is missing from the jar: build with ./mvnw -B -ntp -DskipTests package");
      }
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      AtomicFiles.write(target, in.readAllBytes());
    }
  }
}
