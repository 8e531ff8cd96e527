package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TF.js converter on the fixture: outputs equal TF.js' own (golden files recorded from
 * {@code @tensorflow/tfjs} 4.22 by {@link TfjsParityTest}), transposes folded away, resize sizes
 * recomputed at another input size, and one clear error for each kind of broken model.
 */
class TfjsConverterTest {

  @TempDir Path dir;

  @Test
  void everyOpMatchesTfjsGoldenOutputs() throws IOException {
    Map<String, float[]> ours = Probes.run(TfjsFixture.write(dir), 16, 16, TfjsFixture.PROBES);
    for (String probe : TfjsFixture.PROBES) {
      float[] golden = golden(probe);
      double error = OriginalParity.relative(ours.get(probe), golden);
      assertTrue(error < 1e-5, probe + ": relative error " + error + " against TF.js");
    }
  }

  @Test
  void transposesAroundConvolutionsVanishAndBiasesFold() throws IOException {
    TfjsConverter.Conversion c = TfjsConverter.convert(TfjsModel.read(TfjsFixture.write(dir)));
    List<String> ops = c.graph().ops.stream().map(ImportGraph.Op::name).toList();
    // Seven Transpose nodes in the source; only the one feeding the NCHW Reshape stays.
    assertEquals(1, ops.stream().filter("TRANSPOSE"::equals).count(), ops.toString());
    assertEquals(3, ops.stream().filter("CONV_2D"::equals).count());
    // Bias Add folded into conv1; LeakyRelu = MUL(relu) + MUL + ADD; conv2 + conv3 is one ADD.
    assertEquals(2, ops.stream().filter("ADD"::equals).count(), ops.toString());
    assertEquals(0, ops.stream().filter(o -> o.startsWith("CUSTOM")).count());
    assertArrayEquals(new int[] {1, 16, 16, 3}, c.graph().tensor(c.graph().inputs.get("x")).shape);
  }

  @Test
  void anotherInputSizeRecomputesResizeAndReshape() throws IOException {
    Path json = TfjsFixture.write(dir);
    TfjsConverter.Conversion c = TfjsConverter.convert(TfjsModel.read(json), 32, 32);
    assertArrayEquals(new int[] {1, 16, 16, 8}, c.values().get("resize").shape);
    assertArrayEquals(new int[] {1, 4, 256}, c.values().get("out").shape);
    // Runs on both engines (Probes checks the host engine against the interpreter).
    assertEquals(1024, Probes.run(json, 32, 32, List.of("out")).get("out").length);
  }

  @Test
  void brokenModelsGetOneClearError() throws IOException {
    Path json = TfjsFixture.write(dir);
    String text = Files.readString(json);
    assertError(
        write("bad.json", "{\"format\": \"graph-model\", \"modelTopology\": [1,"),
        "not valid JSON");
    assertError(write("layers.json", "{\"format\": \"layers-model\"}"), "graph models");
    String dangling = text.replace("[\"pad\",\"to_nhwc\"]", "[\"nowhere\",\"to_nhwc\"]");
    assertTrue(!dangling.equals(text));
    assertError(write("dangling.json", dangling), "'nowhere'");
    // base_shape is the last weight, so the offsets of the others stay right without it.
    String unweighted =
        text.replace(",{\"name\":\"base_shape\",\"shape\":[3],\"dtype\":\"int32\"}", "");
    assertTrue(!unweighted.equals(text));
    assertError(write("unweighted.json", unweighted), "'base_shape' has no weight");
    Files.delete(dir.resolve("group1-shard2of2.bin"));
    assertError(json, "group1-shard2of2.bin");
    Files.write(dir.resolve("group1-shard2of2.bin"), new byte[10]);
    assertError(json, "truncated");
    assertError(
        write("escape.json", text.replace("group1-shard1of2.bin", "../../etc/passwd")),
        "outside the model's directory");
  }

  @Test
  void unknownOpsStayVisibleAndStopTheImportThere() throws IOException {
    Path json = TfjsFixture.write(dir);
    String text = Files.readString(json);
    Path odd = write("odd.json", text.replace("\"op\":\"Sigmoid\"", "\"op\":\"Erf\""));
    Inspection i = Inspection.of(odd);
    assertTrue(i.unsupported().contains("CUSTOM tfjs:Erf"), i.unsupported().toString());
    assertTrue(i.candidates().stream().anyMatch(c -> c.name().equals("pool") && c.trainable()));
    ImportException e =
        assertThrows(
            ImportException.class,
            () ->
                BackboneImporter.importModel(
                    odd,
                    new BackboneImporter.Options(List.of("sum"), false, List.of(), 0, 0, null)));
    assertTrue(e.getMessage().contains("tfjs:Erf"), e.getMessage());
    ImportedBackbone before =
        BackboneImporter.importModel(
            odd, new BackboneImporter.Options(List.of("pool"), true, List.of("leaky"), 0, 0, null));
    assertEquals(4, before.features().get(0).stride());
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private static void assertError(Path json, String expected) {
    ImportException e =
        assertThrows(ImportException.class, () -> TfjsConverter.convert(TfjsModel.read(json)));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static float[] golden(String probe) throws IOException {
    try (InputStream in =
        TfjsConverterTest.class.getResourceAsStream("/importer/tfjs-fixture/" + probe + ".f32")) {
      byte[] raw = in.readAllBytes();
      float[] v = new float[raw.length / 4];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
      return v;
    }
  }
}
