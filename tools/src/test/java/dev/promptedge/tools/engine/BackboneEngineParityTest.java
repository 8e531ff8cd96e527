package dev.promptedge.tools.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Precision;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.onnx.DemoCards;
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
    CardFile card = DemoCards.copy(dir);
    assertRefusedWithoutOnnx(card);
    assertParity(OnnxExport.export(card), 3);
  }

  /**
   * The exported QDQ model opens for {@code quantized} on ONNX Runtime and encodes within a few
   * output quantization steps of the int8 model on TFLite (QdqParityTest states the measured
   * spread: max 9-11 steps, mean under 2).
   */
  @Test
  void demoVitInt8(@TempDir Path dir) throws Exception {
    CardFile card = DemoCards.copy(dir);
    BackboneException missing =
        assertThrows(BackboneException.class, () -> Backbone.open(card, true, ORT).close());
    assertTrue(missing.getMessage().contains("onnx_quantized_model"), missing.getMessage());
    CardFile exported = CardFile.read(OnnxExport.export(card).path());
    assertTrue(exported.card().hasOnnxQuantizedModel());
    byte[] onnx = Files.readAllBytes(exported.onnxPath(true));
    assertEquals("demo-vit-int8.onnx", exported.onnxModel(true).getPath());
    assertEquals(Sha256.hex(onnx), exported.onnxModel(true).getSha256());
    assertEquals(onnx.length, exported.onnxModel(true).getSizeBytes());
    assertEquals(Precision.INT8_FULL, exported.onnxModel(true).getPrecision());
    int batch = 2;
    try (Backbone tfl = Backbone.open(exported, true, TFLITE);
        Backbone ort = Backbone.open(exported, true, ORT)) {
      float[] pixels = gaussian(tfl.pixelSize() * batch, 5);
      float[] a = tfl.encode(pixels, Map.of(), batch).get("features");
      float[] b = ort.encode(pixels, Map.of(), batch).get("features");
      double step = 0.040503625;
      double worst = 0;
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        double d = Math.abs(a[i] - b[i]) / step;
        worst = Math.max(worst, d);
        sum += d;
      }
      assertTrue(worst <= 16, "max " + worst + " steps");
      assertTrue(sum / a.length <= 2.5, "mean " + sum / a.length + " steps");
    }
    Files.write(exported.onnxPath(true), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
    BackboneException changed =
        assertThrows(BackboneException.class, () -> Backbone.open(exported, true, ORT).close());
    assertTrue(changed.getMessage().contains("re-export"), changed.getMessage());
  }

  private static float[] gaussian(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @Test
  void smallCnn(@TempDir Path dir) throws Exception {
    CardFile card =
        CnnFiles.writeCnn(dir, "cnn", 4, 11, Provenance.newBuilder().setTool("test").build());
    assertParity(OnnxExport.export(card), 2);
  }

  @Test
  void changedOnnxFileIsRefused(@TempDir Path dir) throws Exception {
    CardFile card =
        OnnxExport.export(
            CnnFiles.writeCnn(dir, "cnn", 4, 11, Provenance.newBuilder().setTool("test").build()));
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
