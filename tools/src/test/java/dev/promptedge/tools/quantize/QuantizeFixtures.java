package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Shared pieces of the quantization tests: the interpreter config, runs and backbone inputs. */
final class QuantizeFixtures {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());

  static final Provenance PROVENANCE =
      Provenance.newBuilder().setCommand("test").setTool("tests").build();

  private QuantizeFixtures() {}

  /** A seeded backbone of {@code spec} written into {@code dir}. */
  static CardFile backbone(Path dir, VitSpec spec) throws IOException {
    return BackboneFiles.write(dir, spec, VitWeights.random(spec, 7), PROVENANCE);
  }

  /** 32 calibration samples of synthetic images (seeds 100..131) and default prompts. */
  static Calibration calibration(CardFile card) {
    var c = card.card();
    return Calibration.forBackbone(
        card,
        CalibrationImages.synthetic(c.getInputWidth(), c.getInputHeight(), 32, 100).images(),
        Calibration.DEFAULT_PROMPT_STD,
        1);
  }

  /** 8 held-out samples: other images (seeds 9000..9007) and other prompts. */
  static List<Map<String, float[]>> heldOut(CardFile card) {
    var c = card.card();
    return Calibration.forBackbone(
            card,
            CalibrationImages.synthetic(c.getInputWidth(), c.getInputHeight(), 8, 9000).images(),
            Calibration.DEFAULT_PROMPT_STD,
            2)
        .samples();
  }

  /** Runs {@code model}'s signature {@code key} on a batch and returns output {@code output}. */
  static float[] run(byte[] model, String key, Map<String, float[]> inputs, String output, int b) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    try (SignatureRunner runner = SignatureRunner.open(buffer, key, CONFIG)) {
      return runner.run(inputs, b).get(output);
    }
  }

  /** The runtime opens the card's quantized model and a batch of 3 equals three single runs. */
  static void openedByTheRuntime(CardFile card, QuantizedModel model, String what)
      throws Exception {
    CardFile updated = QuantizedBackboneFiles.write(card, model, "test " + what);
    List<Map<String, float[]>> samples = QuantizeFixtures.heldOut(card).subList(0, 3);
    try (Backbone backbone = Backbone.open(updated, true, QuantizeFixtures.CONFIG)) {
      assertTrue(backbone.dynamicBatch());
      assertEquals(model.precision(), backbone.modelFile().getPrecision());
      int px = backbone.pixelSize();
      int pr = backbone.promptInputs().get(0).size();
      float[] pixels = new float[3 * px];
      float[] prompts = new float[3 * pr];
      for (int i = 0; i < 3; i++) {
        System.arraycopy(samples.get(i).get(Backbone.PIXELS), 0, pixels, i * px, px);
        System.arraycopy(samples.get(i).get("prompt"), 0, prompts, i * pr, pr);
      }
      float[] batch = backbone.encode(pixels, Map.of("prompt", prompts), 3).get("features");
      int f = backbone.featureOutputs().get(0).size();
      assertEquals(3 * f, batch.length);
      for (int i = 0; i < 3; i++) {
        float[] one =
            backbone
                .encode(
                    samples.get(i).get(Backbone.PIXELS),
                    Map.of("prompt", samples.get(i).get("prompt")),
                    1)
                .get("features");
        for (int k = 0; k < f; k++) {
          assertEquals(one[k], batch[i * f + k], 1e-5, what + " sample " + i + " feature " + k);
        }
      }
      assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(batch, f), new float[f]));
    }
  }
}
