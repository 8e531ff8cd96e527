package dev.promptedge.tools.onnx;

import dev.promptedge.runtime.backbone.CardFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed demo card with its float and int8 models, copied for a test to change or export.
 */
public final class DemoCards {

  /** Where the committed demo files are, seen from the tools module. */
  public static final Path DEMO = Path.of("..", "models", "demo");

  private DemoCards() {}

  /** The demo card and its two models copied into {@code dir}. */
  public static CardFile copy(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String name :
        List.of("demo-vit.card.textproto", "demo-vit.tflite", "demo-vit-int8.tflite")) {
      Files.copy(DEMO.resolve(name), dir.resolve(name));
    }
    return CardFile.read(dir.resolve("demo-vit.card.textproto"));
  }

  /** The same, exported to ONNX (float and int8 forms recorded in the copied card). */
  public static CardFile exported(Path dir) throws IOException {
    return OnnxExport.export(copy(dir));
  }
}
