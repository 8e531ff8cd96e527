package dev.promptedge.tools.backbone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.tflite.InterpreterConfig;
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
}
