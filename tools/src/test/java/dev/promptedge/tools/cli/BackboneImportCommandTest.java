package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.importer.TfjsFixture;
import dev.promptedge.tools.importer.ThirdPartyTflite;
import dev.promptedge.tools.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promptedge backbone inspect} and {@code import} on a zoo-style .tflite and a TF.js model.
 */
class BackboneImportCommandTest {

  @TempDir Path dir;

  @Test
  void inspectListsOpsAndCandidateFeatures() throws Exception {
    Path zoo = dir.resolve("zoo.tflite");
    Files.write(zoo, ThirdPartyTflite.build());
    Cli r = Cli.run("backbone", "inspect", "--model", zoo.toString()).expect(0);
    assertTrue(r.out().contains("input  image FLOAT32[1, 32, 32, 3]"), r.out());
    assertTrue(r.out().contains("folded 3 DEQUANTIZE weights"), r.out());
    assertTrue(
        r.out().matches("(?s).*CUSTOM VendorDecoder +1 +NOT supported by the host engine.*"),
        r.out());
    assertTrue(r.out().matches("(?s).*s8 +4x4 +x16 +yes +block3.*"), r.out());
    assertTrue(r.out().matches("(?s).*s4 +8x8 +x16 +no +decoded.*"), r.out());
  }

  @Test
  void importWritesThePromptableModelAndItsDescription() throws Exception {
    Path json = TfjsFixture.write(dir.resolve("tfjs"));
    Path out = dir.resolve("out");
    Cli r =
        Cli.run(
                "backbone",
                "import",
                "--model",
                json.toString(),
                "--out",
                out.toString(),
                "--name",
                "fixture",
                "--input-size",
                "32x32",
                "--features",
                "leaky,pool",
                "--prompt",
                "pixel",
                "--prompt",
                "channel",
                "--prompt-blocks",
                "leaky",
                "--license",
                "Apache-2.0")
            .expect(0);
    assertTrue(r.out().contains("host engine vs interpreter"), r.out());
    TfliteGraph g = TfliteGraph.read(Files.readAllBytes(out.resolve("fixture.tflite")), "encode");
    assertEquals(List.of("pixels", "pixel_prompt", "scale_shift_0"), g.inputNames());
    assertEquals(List.of("features_s2", "features_s4"), g.outputNames());
    Map<?, ?> d = (Map<?, ?>) Json.parse(Files.readString(out.resolve("fixture.import.json")));
    assertEquals(32L, d.get("input_height"));
    assertEquals("Apache-2.0", d.get("license"));
    assertEquals(true, d.get("dynamic_batch"));
    Map<?, ?> prompt = (Map<?, ?>) ((List<?>) d.get("prompt_inputs")).get(1);
    assertEquals("CHANNEL_SCALE_SHIFT", prompt.get("kind"));
    assertEquals(List.of(2L, 8L), prompt.get("shape"));
    assertEquals("leaky", prompt.get("placement"));
    Map<?, ?> feature = (Map<?, ?>) ((List<?>) d.get("feature_outputs")).get(1);
    assertEquals(4L, feature.get("stride"));
    assertEquals(8L, feature.get("height"));
  }

  @Test
  void badInputSizeIsAUsageError() {
    Cli r = Cli.run("backbone", "import", "--model", "m.json", "--out", "o", "--input-size", "big");
    assertEquals(2, r.code());
    assertTrue(r.oneErrorLine().contains("--input-size must be HxW"), r.err());
  }
}
