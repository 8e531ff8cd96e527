package dev.promptedge.tools.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The committed demo backbone: files match their cards' hashes and the runtime runs them. */
class DemoBackboneTest {

  static final Path DIR = Path.of("..", "models", "demo");

  @Test
  void committedFilesMatchTheirCardsAndRun() throws Exception {
    for (String name : new String[] {"demo-vit", "demo-vit-deep"}) {
      CardFile card = CardFile.read(DIR.resolve(name + CardFile.SUFFIX));
      assertEquals(name, card.card().getName());
      assertTrue(card.card().hasQuantizedModel(), name + " has an int8 model");
      assertTrue(
          card.card().getProvenance().getNotesList().stream()
              .anyMatch(n -> n.contains("per-patch classification")),
          name + " provenance says how it was pretrained");
      for (boolean quantized : new boolean[] {false, true}) {
        ModelFile file = card.model(quantized);
        byte[] bytes = Files.readAllBytes(card.modelPath(quantized));
        assertEquals(file.getSha256(), Sha256.hex(bytes), file.getPath());
        assertEquals(file.getSizeBytes(), bytes.length, file.getPath());
        try (Backbone backbone =
            Backbone.open(card, quantized, new InterpreterConfig(1, false, Optional.empty()))) {
          assertEquals(name, backbone.card().card().getName());
        }
      }
    }
  }

  @Test
  void committedNanodetInt8FileMatchesItsCardAndRuns() throws Exception {
    CardFile card =
        CardFile.read(Path.of("..", "models", "nanodet", "nanodet-g-128" + CardFile.SUFFIX));
    assertTrue(card.card().hasQuantizedModel(), "nanodet-g-128 has an int8 model");
    ModelFile int8 = card.model(true);
    assertEquals("nanodet-g-128-int8.tflite", int8.getPath());
    assertEquals(Precision.INT8_FULL, int8.getPrecision());
    byte[] bytes = Files.readAllBytes(card.modelPath(true));
    assertEquals(int8.getSha256(), Sha256.hex(bytes), int8.getPath());
    assertEquals(int8.getSizeBytes(), bytes.length, int8.getPath());
    assertTrue(
        card.card().getProvenance().getNotesList().stream()
            .anyMatch(n -> n.startsWith("quantized INT8_FULL") && n.contains("cycling through")),
        "calibrated with the demo bundles' trained prompts");
    try (Backbone backbone =
        Backbone.open(card, true, new InterpreterConfig(1, false, Optional.empty()))) {
      assertEquals(2, backbone.card().featureOutputs().size());
    }
    // Its QDQ form for boards on ONNX Runtime (the Pi and Jetson profiles) is committed too.
    ModelFile qdq = card.onnxModel(true);
    assertEquals("nanodet-g-128-int8.onnx", qdq.getPath());
    byte[] onnx = Files.readAllBytes(card.onnxPath(true));
    assertEquals(qdq.getSha256(), Sha256.hex(onnx), qdq.getPath());
    assertEquals(qdq.getSizeBytes(), onnx.length, qdq.getPath());
    try (Backbone backbone =
        Backbone.open(
            card,
            true,
            new InterpreterConfig(1, false, Optional.empty(), EngineKind.ONNXRUNTIME))) {
      assertEquals(qdq, backbone.runningFile());
    }
    // The 13 MB float model is not committed; when make-nanodet-backbone.sh reproduced it, it must
    // be the file the card and the bundles name.
    Path floatModel = card.modelPath(false);
    if (Files.exists(floatModel)) {
      assertEquals(
          card.model(false).getSha256(), Sha256.hex(Files.readAllBytes(floatModel)), "float");
    }
  }
}
