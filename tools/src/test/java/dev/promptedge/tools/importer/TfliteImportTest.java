package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.TfliteGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.TensorType;

/** Importing a zoo-style .tflite: no signatures, float16/int8 weights behind DEQUANTIZE. */
class TfliteImportTest {

  @TempDir Path dir;

  private Path zooModel() throws IOException {
    Path file = dir.resolve("zoo.tflite");
    Files.write(file, ThirdPartyTflite.build());
    return file;
  }

  @Test
  void inspectionFoldsDequantizeAndMarksWhatComesAfterTheCustomOp() throws IOException {
    Inspection i = Inspection.of(zooModel());
    assertEquals(3, i.foldedDequantize());
    assertEquals(Map.of("CONV_2D", 3, "CUSTOM VendorDecoder", 1), i.ops());
    assertEquals(java.util.Set.of("CUSTOM VendorDecoder"), i.unsupported());
    assertEquals("FLOAT32[1, 32, 32, 3]", i.inputs().get("image"));
    List<Inspection.Candidate> c = i.candidates();
    assertEquals(
        List.of("block1", "block2", "block3", "decoded"),
        c.stream().map(Inspection.Candidate::name).toList());
    assertEquals(List.of(2, 4, 8, 4), c.stream().map(Inspection.Candidate::stride).toList());
    assertEquals(
        List.of(true, true, true, false), c.stream().map(Inspection.Candidate::trainable).toList());
    assertEquals("block3", i.auto().name());
  }

  @Test
  void importedModelReproducesTheOriginalAndRunsOnBothEngines() throws IOException {
    ImportedBackbone b =
        BackboneImporter.importModel(
            zooModel(),
            new BackboneImporter.Options(
                List.of("block2", "block3"), true, List.of("block1", "block3"), 0, 0, null));
    assertTrue(b.dynamicBatch());
    assertEquals(
        List.of("features_s4", "features_s8"),
        b.features().stream().map(ImportedBackbone.FeatureOutput::name).toList());
    assertEquals(16, b.features().get(1).channels());
    assertEquals(
        List.of("pixel_prompt", "scale_shift_0", "scale_shift_1"),
        b.prompts().stream().map(ImportedBackbone.PromptInput::name).toList());
    assertEquals(List.of(2, 8), b.prompts().get(1).shape());
    assertEquals("block1", b.prompts().get(1).placement());
    assertTrue(
        b.parity().hostVsInterpreter() <= BackboneImporter.HOST_TOLERANCE, b.parity().toString());
    assertTrue(
        b.parity().importedVsOriginal() <= BackboneImporter.TFLITE_TOLERANCE,
        b.parity().toString());
    TfliteGraph graph = TfliteGraph.read(b.model(), "encode");
    assertEquals(
        List.of("pixels", "pixel_prompt", "scale_shift_0", "scale_shift_1"), graph.inputNames());
    assertArrayEquals(new int[] {-1, 32, 32, 3}, graph.shapeOf("pixels"));
    assertArrayEquals(new int[] {-1, 2, 16}, graph.shapeOf("scale_shift_1"));
    assertArrayEquals(new int[] {-1, 4, 4, 16}, graph.shapeOf("features_s8"));
    assertFalse(graph.operatorNames().contains("DEQUANTIZE"));
  }

  @Test
  void channelPromptsScaleAndShiftEachSampleOnItsOwn() throws IOException {
    ImportedBackbone b =
        BackboneImporter.importModel(
            zooModel(),
            new BackboneImporter.Options(List.of("block3"), false, List.of("block3"), 0, 0, null));
    float[] pixels = BackboneImporter.gaussian(32 * 32 * 3, 1);
    float[] identity = new float[32];
    Arrays.fill(identity, 0, 16, 1f);
    float[] twice = new float[32];
    Arrays.fill(twice, 0, 16, 2f);
    Arrays.fill(twice, 16, 32, 0.5f);
    float[] plain =
        BackboneImporter.run(b.model(), Map.of("pixels", pixels, "scale_shift_0", identity), 1)
            .get("features_s8");
    Map<String, float[]> batch = new LinkedHashMap<>();
    batch.put("pixels", concat(pixels, pixels));
    batch.put("scale_shift_0", concat(identity, twice));
    float[] both = BackboneImporter.run(b.model(), batch, 2).get("features_s8");
    try (GraphExecutor host =
        GraphExecutor.builder(TfliteGraph.read(b.model(), "encode")).build()) {
      float[] hostBoth = host.run(batch, 2).get("features_s8");
      assertTrue(OriginalParity.relative(hostBoth, both) < 1e-5);
    }
    for (int i = 0; i < plain.length; i++) {
      assertEquals(plain[i], both[i], 1e-6f);
      assertEquals(2 * plain[i] + 0.5f, both[plain.length + i], 1e-5f);
    }
  }

  @Test
  void refusesWhatItCannotImportWithOneLine() throws IOException {
    Path zoo = zooModel();
    ImportException custom =
        assertThrows(
            ImportException.class,
            () ->
                BackboneImporter.importModel(
                    zoo,
                    new BackboneImporter.Options(
                        List.of("decoded"), false, List.of(), 0, 0, null)));
    assertTrue(custom.getMessage().contains("VendorDecoder"), custom.getMessage());
    ImportException unknown =
        assertThrows(
            ImportException.class,
            () ->
                BackboneImporter.importModel(
                    zoo,
                    new BackboneImporter.Options(
                        List.of("nothing"), false, List.of(), 0, 0, null)));
    assertTrue(
        unknown.getMessage().contains("'nothing'") && unknown.getMessage().contains("inspect"));
    Path uint8 = dir.resolve("uint8.tflite");
    Files.write(uint8, ThirdPartyTflite.build(TensorType.UINT8));
    ImportException quantized =
        assertThrows(
            ImportException.class,
            () ->
                BackboneImporter.importModel(
                    uint8, new BackboneImporter.Options(List.of(), false, List.of(), 0, 0, null)));
    assertTrue(quantized.getMessage().contains("UINT8"), quantized.getMessage());
    Path junk = dir.resolve("junk.tflite");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    ImportException bad = assertThrows(ImportException.class, () -> Inspection.of(junk));
    assertTrue(bad.getMessage().contains("not a TFLite flatbuffer"), bad.getMessage());
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
