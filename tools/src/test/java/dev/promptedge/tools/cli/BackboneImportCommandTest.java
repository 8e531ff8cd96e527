package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.PromptKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.importer.TfjsFixture;
import dev.promptedge.tools.importer.ThirdPartyTflite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertTrue(r.out().contains("runtime: the model verifier and the interpreter accept"), r.out());
    assertTrue(r.out().contains("ImageNet mean/std assumed"), r.out());
    CardFile card = CardFile.read(out.resolve("fixture.card.textproto"));
    BackboneCard c = card.card();
    assertEquals(2, c.getFormatVersion());
    assertEquals(32, c.getInputHeight());
    assertEquals(List.of(0.485f, 0.456f, 0.406f), c.getNormalization().getMeanList());
    byte[] model = Files.readAllBytes(out.resolve("fixture.tflite"));
    assertEquals(Sha256.hex(model), c.getFloatModel().getSha256());
    assertEquals(model.length, c.getFloatModel().getSizeBytes());
    assertEquals(Sha256.hex(Files.readAllBytes(json)), c.getProvenance().getDataSha256());
    assertTrue(c.getProvenance().getCommand().contains("--prompt-blocks leaky"));
    assertTrue(c.getProvenance().getNotesList().contains("license: Apache-2.0"));
    assertTrue(
        c.getProvenance().getNotesList().contains("cut: features_s4 is source tensor 'pool'"));
    assertEquals(
        List.of(
            new PromptSlot("pixel_prompt", PromptKind.PIXEL, List.of(32, 32, 3), "pixels"),
            new PromptSlot(
                "scale_shift_0", PromptKind.CHANNEL_SCALE_SHIFT, List.of(2, 8), "leaky")),
        card.promptInputs());
    assertEquals(
        List.of(
            new FeatureMap("features_s2", 2, 8, 16, 16), new FeatureMap("features_s4", 4, 8, 8, 8)),
        card.featureOutputs());
    assertTrue(Files.notExists(out.resolve("fixture.import.json")));
  }

  @Test
  void normalizationIsTakenAsGivenOrRefusedInOneLine() throws Exception {
    Path json = TfjsFixture.write(dir.resolve("tfjs"));
    Path out = dir.resolve("out");
    Cli.run(importArgs(json, out, "0,1")).expect(0);
    CardFile card = CardFile.read(out.resolve("fixture.card.textproto"));
    assertEquals(List.of(0f, 0f, 0f), card.card().getNormalization().getMeanList());
    assertEquals(List.of(1f, 1f, 1f), card.card().getNormalization().getStdList());
    Cli bad = Cli.run(importArgs(json, dir.resolve("bad"), "0.5,0")).expect(1);
    assertTrue(bad.oneErrorLine().contains("every std must be positive"), bad.err());
    assertTrue(Files.notExists(dir.resolve("bad")));
  }

  @Test
  void autoNormalizationIsWhatTheSourcesCardSays() throws Exception {
    Path json = TfjsFixture.write(dir.resolve("tfjs"));
    Path first = dir.resolve("first");
    Cli.run(importArgs(json, first, "0.5,0.25")).expect(0);
    Path out = dir.resolve("again");
    Cli r =
        Cli.run(
                "backbone",
                "import",
                "--model",
                first.resolve("fixture.tflite").toString(),
                "--out",
                out.toString(),
                "--name",
                "again",
                "--features",
                "pool")
            .expect(0);
    assertTrue(r.out().contains("as the source's card"), r.out());
    CardFile card = CardFile.read(out.resolve("again.card.textproto"));
    assertEquals(List.of(0.5f, 0.5f, 0.5f), card.card().getNormalization().getMeanList());
    assertEquals(List.of(0.25f, 0.25f, 0.25f), card.card().getNormalization().getStdList());
  }

  private static String[] importArgs(Path json, Path out, String normalization) {
    return new String[] {
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
      "--normalization",
      normalization
    };
  }

  @Test
  void badInputSizeIsAUsageError() {
    Cli r = Cli.run("backbone", "import", "--model", "m.json", "--out", "o", "--input-size", "big");
    assertEquals(2, r.code());
    assertTrue(r.oneErrorLine().contains("--input-size must be HxW"), r.err());
  }
}
