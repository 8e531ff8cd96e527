package dev.promptedge.tools.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.onnx.Parity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A committed demo bundle's head, translated at open, gives TFLite's outputs on ONNX Runtime. */
class HeadEngineParityTest {

  private static final InterpreterConfig TFLITE = new InterpreterConfig(1, false, Optional.empty());
  private static final InterpreterConfig ORT = TFLITE.withEngine(EngineKind.ONNXRUNTIME);

  @ParameterizedTest
  @ValueSource(strings = {"fashion-detect", "fashion-segment"})
  void demoBundleHead(String name) throws Exception {
    Path demo = Path.of("..", "models", "demo");
    CardFile card = CardFile.read(demo.resolve("demo-vit.card.textproto"));
    byte[] bytes = Files.readAllBytes(demo.resolve(name + ".bundle"));
    PromptBundle bundle =
        new BundleReader(card, BundleReader.DEFAULT_MAX_BYTES).read(bytes).bundle();
    int batch = 2;
    try (Backbone backbone = Backbone.open(card, false, TFLITE);
        HeadModel tfl = HeadModel.open(bundle, card, TFLITE);
        HeadModel ort = HeadModel.open(bundle, card, ORT)) {
      Random random = new Random(1);
      float[] pixels = new float[backbone.pixelSize() * batch];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) random.nextGaussian();
      }
      Map<String, float[]> features = backbone.encode(pixels, Map.of(), batch);
      double worst = Parity.relativeError(tfl.run(features, batch), ort.run(features, batch));
      assertTrue(worst <= Parity.TOLERANCE, name + " head differs by " + worst + " of scale");
    }
  }
}
