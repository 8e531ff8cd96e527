package dev.promptedge.tools.backbone;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Precision;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime refuses a backbone whose model file does not match its card, with real files: a micro
 * model built here and cards edited to disagree with it.
 */
class BackboneContractTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());

  @TempDir static Path dir;

  static CardFile good;

  @BeforeAll
  static void buildMicro() throws Exception {
    VitSpec spec = VitSpec.micro(false);
    good =
        BackboneFiles.write(
            dir,
            spec,
            VitWeights.random(spec, 7),
            Provenance.newBuilder().setCommand("BackboneContractTest").setSeed(7).build());
  }

  /** Writes a copy of the good card edited by {@code edit} beside the model, as NAME.card. */
  private static CardFile card(String name, UnaryOperator<BackboneCard.Builder> edit)
      throws Exception {
    BackboneCard card = edit.apply(good.card().toBuilder()).build();
    return CardFile.write(dir.resolve(name + CardFile.SUFFIX), card);
  }

  private static String refusal(CardFile card) {
    BackboneException e =
        assertThrows(BackboneException.class, () -> Backbone.open(card, false, CONFIG).close());
    assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    return e.getMessage();
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
    }
  }

  @Test
  void theGoodCardOpens() {
    try (Backbone backbone = Backbone.open(good, false, CONFIG)) {
      assertTrue(backbone.dynamicBatch());
    }
  }

  @Test
  void wrongSha256NamesBothHashes() throws Exception {
    String actual = good.card().getFloatModel().getSha256();
    String recorded = "0".repeat(64);
    CardFile card =
        card("wrong-sha", c -> c.setFloatModel(c.getFloatModel().toBuilder().setSha256(recorded)));
    assertContains(
        refusal(card), actual, recorded, good.modelPath(false).toString(), card.path().toString());
  }

  /** The good card as version 1 (no prompt_inputs, no feature_outputs), edited by {@code edit}. */
  private static CardFile v1(String name, UnaryOperator<BackboneCard.Builder> edit)
      throws Exception {
    return card(
        name + "-v1",
        c -> edit.apply(c.setFormatVersion(1).clearPromptInputs().clearFeatureOutputs()));
  }

  /** The good (version 2) card with prompt input 0's shape entry {@code axis} set to {@code d}. */
  private static CardFile promptShape(String name, int axis, int d) throws Exception {
    return card(
        name, c -> c.setPromptInputs(0, c.getPromptInputs(0).toBuilder().setShape(axis, d)));
  }

  @Test
  void theGoodCardOpensAsVersion1Too() throws Exception {
    try (Backbone backbone = Backbone.open(v1("good", c -> c), false, CONFIG)) {
      assertTrue(backbone.dynamicBatch());
    }
  }

  @Test
  void promptTokensThatDifferNameThePromptTensorAndBothShapes() throws Exception {
    assertContains(
        refusal(v1("tokens", c -> c.setPromptTokens(5))),
        "'prompt'",
        "[B, 1, 4, 32]",
        "[B, 1, 5, 32]");
    assertContains(
        refusal(promptShape("tokens", 1, 5)), "'prompt'", "[B, 1, 4, 32]", "[B, 1, 5, 32]");
  }

  @Test
  void embedDimThatDiffersNamesBothShapes() throws Exception {
    assertContains(
        refusal(v1("dim", c -> c.setEmbedDim(16))), "'prompt'", "[B, 1, 4, 32]", "[B, 1, 4, 16]");
    assertContains(
        refusal(promptShape("dim", 2, 16)), "'prompt'", "[B, 1, 4, 32]", "[B, 1, 4, 16]");
  }

  @Test
  void promptLayersThatDifferNameBothShapes() throws Exception {
    assertContains(
        refusal(v1("layers", c -> c.setPromptLayers(2))),
        "'prompt'",
        "[B, 1, 4, 32]",
        "[B, 2, 4, 32]");
    assertContains(
        refusal(promptShape("layers", 0, 2)), "'prompt'", "[B, 1, 4, 32]", "[B, 2, 4, 32]");
  }

  @Test
  void inputSizeThatDiffersNamesThePixelsTensorAndBothShapes() throws Exception {
    String message = refusal(card("input", c -> c.setInputHeight(40).setInputWidth(40)));
    assertContains(message, "'pixels'", "[B, 32, 32, 3]", "[B, 40, 40, 3]");
  }

  @Test
  void patchSizeThatDiffersNamesTheFeaturesTensorAndBothShapes() throws Exception {
    String message = refusal(v1("patch", c -> c.setPatchSize(16)));
    assertContains(message, "'features'", "[B, 4, 4, 32]", "[B, 2, 2, 32]");
    String v2 =
        refusal(
            card(
                "grid",
                c ->
                    c.setFeatureOutputs(
                        0,
                        c.getFeatureOutputs(0).toBuilder()
                            .setStride(16)
                            .setHeight(2)
                            .setWidth(2))));
    assertContains(v2, "'features'", "[B, 4, 4, 32]", "[B, 2, 2, 32]");
  }

  @Test
  void missingModelFileNamesThePath() throws Exception {
    CardFile card =
        card("missing", c -> c.setFloatModel(c.getFloatModel().toBuilder().setPath("gone.tflite")));
    String message = refusal(card);
    assertContains(
        message,
        dir.resolve("gone.tflite").toAbsolutePath().toString(),
        "does not exist",
        card.path().toString());
  }

  @Test
  void aModelWithoutTheEncodeSignatureNamesTheSignature() throws Exception {
    byte[] head = HeadBuilder.build(TaskKind.DETECTION, HeadWeights.random(7, 32, 1), 4, 4, 32);
    Files.write(dir.resolve("head.tflite"), head);
    CardFile card =
        card(
            "head",
            c -> c.setFloatModel(BackboneFiles.modelFile("head.tflite", head, Precision.FLOAT32)));
    assertContains(refusal(card), "'encode'", "[head]", dir.resolve("head.tflite").toString());
  }

  @Test
  void aCardAskingForAnotherSignatureNamesIt() throws Exception {
    assertContains(refusal(card("signature", c -> c.setSignature("embed"))), "'embed'", "[encode]");
  }

  @Test
  void bytesThatAreNotAModelAreRefused() throws Exception {
    byte[] noise = new byte[4096];
    new Random(5).nextBytes(noise);
    Files.write(dir.resolve("noise.tflite"), noise);
    CardFile card =
        card(
            "noise",
            c ->
                c.setFloatModel(BackboneFiles.modelFile("noise.tflite", noise, Precision.FLOAT32)));
    assertContains(refusal(card), dir.resolve("noise.tflite").toString());
  }

  @Test
  void aQuantizedModelTheCardDoesNotHaveIsNamed() {
    BackboneException e =
        assertThrows(BackboneException.class, () -> Backbone.open(good, true, CONFIG));
    assertContains(e.getMessage(), "no quantized_model", good.path().toString());
  }
}
