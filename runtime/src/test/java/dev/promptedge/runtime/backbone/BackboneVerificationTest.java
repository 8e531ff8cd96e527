package dev.promptedge.runtime.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.store.Sha256;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;

/**
 * {@link Backbone#open} runs the verifier before the interpreter: the committed demo backbone opens
 * and encodes, and a hostile model whose card records its true SHA-256 is refused naming the
 * operator, before any interpreter exists.
 */
class BackboneVerificationTest {

  // The demo backbone is committed at the repository root; the tests run in runtime/.
  static final Path DEMO = Path.of("..", "models", "demo");

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, true, Optional.empty());

  @TempDir Path dir;

  /** A copy of the demo card beside {@code model}, recording its SHA-256. */
  private CardFile cardFor(byte[] model) throws Exception {
    Files.write(dir.resolve("demo-vit.tflite"), model);
    BackboneCard demo = CardFile.read(DEMO.resolve("demo-vit.card.textproto")).card();
    BackboneCard card =
        demo.toBuilder()
            .clearQuantizedModel()
            .setFloatModel(
                demo.getFloatModel().toBuilder().setSha256(Sha256.hex(ByteBuffer.wrap(model))))
            .build();
    return CardFile.write(dir.resolve("demo-vit.card.textproto"), card);
  }

  @Test
  void theDemoBackboneOpensAndEncodes() throws Exception {
    CardFile card = cardFor(Files.readAllBytes(DEMO.resolve("demo-vit.tflite")));
    try (Backbone backbone = Backbone.open(card, false, CONFIG)) {
      Map<String, float[]> features = backbone.encode(new float[backbone.pixelSize()], Map.of(), 1);
      FeatureMap output = backbone.featureOutputs().get(0);
      assertEquals(output.size(), features.get(output.name()).length);
    }
  }

  @Test
  void aHostileBackboneIsRefusedBeforeAnInterpreterIsCreated() throws Exception {
    ModelT model =
        ModelT.deserializeFromBinary(Files.readAllBytes(DEMO.resolve("demo-vit.tflite")));
    TensorT pixels = model.getSubgraphs()[0].getTensors()[0];
    pixels.getShape()[3] = 4;
    pixels.getShapeSignature()[3] = 4;
    CardFile card = cardFor(model.serializeToBinary());
    long before = SignatureRunner.interpretersCreated("encode");
    BackboneException e =
        assertThrows(BackboneException.class, () -> Backbone.open(card, false, CONFIG));
    assertTrue(e.getMessage().contains("refused before it was loaded"), e::getMessage);
    assertTrue(e.getMessage().contains("(CONV_2D)"), e::getMessage);
    assertEquals(before, SignatureRunner.interpretersCreated("encode"));
  }
}
