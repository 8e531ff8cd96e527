package dev.promptedge.tools.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.onnx.OnnxExport;
import dev.promptedge.tools.onnx.Parity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A card exported to ONNX opens on ONNX Runtime and encodes as it does on TFLite. */
class BackboneEngineParityTest {

  private static final InterpreterConfig TFLITE = new InterpreterConfig(1, false, Optional.empty());
  private static final InterpreterConfig ORT = TFLITE.withEngine(EngineKind.ONNXRUNTIME);

  @Test
  void demoVit(@TempDir Path dir) throws Exception {
    Path demo = Path.of("..", "models", "demo");
    Files.copy(demo.resolve("demo-vit.tflite"), dir.resolve("demo-vit.tflite"));
    Files.copy(demo.resolve("demo-vit.card.textproto"), dir.resolve("demo-vit.card.textproto"));
    CardFile card = CardFile.read(dir.resolve("demo-vit.card.textproto"));
    assertRefusedWithoutOnnx(card);
    assertParity(OnnxExport.export(card), 3);
  }

  @Test
  void smallCnn(@TempDir Path dir) throws Exception {
    CardFile card =
        BackboneFiles.writeCnn(dir, "cnn", 4, 11, Provenance.newBuilder().setTool("test").build());
    assertParity(OnnxExport.export(card), 2);
  }

  @Test
  void changedOnnxFileIsRefused(@TempDir Path dir) throws Exception {
    CardFile card =
        OnnxExport.export(
            BackboneFiles.writeCnn(
                dir, "cnn", 4, 11, Provenance.newBuilder().setTool("test").build()));
    Files.write(card.onnxPath(), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
    BackboneException e =
        assertThrows(BackboneException.class, () -> Backbone.open(card, false, ORT).close());
    assertTrue(e.getMessage().contains("re-export"), e.getMessage());
  }

  private static void assertRefusedWithoutOnnx(CardFile card) {
    BackboneException e =
        assertThrows(BackboneException.class, () -> Backbone.open(card, false, ORT).close());
    assertTrue(e.getMessage().contains("backbone export --format onnx"), e.getMessage());
  }

  private static void assertParity(CardFile card, int batch) {
    CardFile reread = CardFile.read(card.path());
    assertTrue(reread.hasOnnxModel());
    try (Backbone tfl = Backbone.open(reread, false, TFLITE);
        Backbone ort = Backbone.open(reread, false, ORT)) {
      Random random = new Random(3);
      float[] pixels = new float[tfl.pixelSize() * batch];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian();
      }
      Map<String, float[]> expected = tfl.encode(pixels, Map.of(), batch);
      Map<String, float[]> actual = ort.encode(pixels, Map.of(), batch);
      assertEquals(expected.keySet(), actual.keySet());
      for (String name : expected.keySet()) {
        double worst = Parity.relativeError(expected.get(name), actual.get(name));
        assertTrue(worst <= Parity.TOLERANCE, name + " differs by " + worst + " of scale");
      }
    }
  }
}
