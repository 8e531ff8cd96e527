package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.TfliteModelBuilder;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;

/** {@code promptedge backbone verify} on real models: a good ViT and CNN, a bad op, no encode. */
class BackboneVerifyCommandTest {

  @TempDir Path dir;

  @Test
  void microVitWorks() throws Exception {
    VitSpec spec = VitSpec.micro(true);
    Path model = write("vit.tflite", VitBuilder.build(spec, VitWeights.random(spec, 7)));
    Result r = verify("--model", model.toString());
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(
        r.out.contains("contract: OK H=32 W=32 L=2 P=4 D=32 grid 4x4, batch dynamic"), r.out);
    assertTrue(r.out.contains("BATCH_MATMUL"), r.out);
    assertTrue(r.out.matches("(?s).*CONV_2D +x1 +supported.*"), r.out);
    assertTrue(r.out.contains("host engine vs interpreter (random inputs, batch 2"), r.out);
    assertTrue(r.out.contains("verdict: OK"), r.out);
  }

  @Test
  void microCnnWorks() throws Exception {
    Path model = write("cnn.tflite", CnnBuilder.build(4, 3));
    Result r = verify("--model", model.toString(), "--batch", "3");
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(r.out.matches("(?s).*RESIZE_BILINEAR +x1 +supported.*"), r.out);
    assertTrue(r.out.contains("contract: OK H=32 W=32 L=1 P=4 D=16 grid 4x4"), r.out);
  }

  @Test
  void promptableCnnPassesTheV2Contract() throws Exception {
    Path model = write("cnn-v2.tflite", CnnBuilder.buildPromptable(3));
    Result r = verify("--model", model.toString());
    assertEquals(0, r.code, r.out + r.err);
    assertTrue(
        r.out.contains(
            "contract: OK (v2) H=32 W=32, prompt inputs [pixel_prompt PIXEL [32, 32, 3],"
                + " scale_shift_0 CHANNEL_SCALE_SHIFT [2, 8]], feature outputs [features_s8"
                + " stride 8 [4, 4, 16], features_s16 stride 16 [2, 2, 16]], batch dynamic"),
        r.out);
    assertTrue(r.out.matches("(?s).*STRIDED_SLICE +x2 +supported.*"), r.out);
    assertTrue(r.out.contains("verdict: OK"), r.out);
  }

  @Test
  void unsupportedOperatorIsNamedAndFails() throws Exception {
    TfliteModelBuilder b = new TfliteModelBuilder("exp backbone");
    int pixels = b.activation("pixels", -1, 8, 8, 3);
    int prompt = b.activation("prompt", -1, 1, 2, 3);
    int features = b.activation("features", -1, 8, 8, 3);
    b.operator(
        BuiltinOperator.EXP, BuiltinOptions.NONE, null, new int[] {pixels}, new int[] {features});
    byte[] bytes =
        b.signatureKey("encode")
            .input("pixels", pixels)
            .input("prompt", prompt)
            .output("features", features)
            .build();
    Result r = verify("--model", write("exp.tflite", bytes).toString());
    assertEquals(1, r.code, r.out);
    assertTrue(r.out.matches("(?s).*EXP +x1 +NOT supported.*"), r.out);
    assertTrue(r.out.contains("problem: operator 0 is EXP"), r.out);
    assertTrue(r.out.contains("verdict: FAIL"), r.out);
  }

  @Test
  void missingSignatureListsTheOthers() throws Exception {
    VitSpec spec = VitSpec.micro(false);
    Path model = write("vit.tflite", VitBuilder.build(spec, VitWeights.random(spec, 7)));
    Result r = verify("--model", model.toString(), "--signature", "serving_default");
    assertEquals(1, r.code, r.out);
    assertTrue(
        r.out.contains("contract: FAIL model has no signature 'serving_default' (it has [encode])"),
        r.out);
  }

  @Test
  void missingFileIsOneErrorLine() {
    Result r = verify("--model", dir.resolve("none.tflite").toString());
    assertEquals(1, r.code);
    assertEquals(1, r.err.lines().count(), r.err);
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path path = dir.resolve(name);
    Files.write(path, bytes);
    return path;
  }

  private record Result(int code, String out, String err) {}

  private static Result verify(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "backbone";
    all[1] = "verify";
    System.arraycopy(args, 0, all, 2, args.length);
    int code = PromptEdgeCli.run(all, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
