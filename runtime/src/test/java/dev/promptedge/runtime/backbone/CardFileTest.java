package dev.promptedge.runtime.backbone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Normalization;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CardFileTest {

  @TempDir Path dir;

  static BackboneCard.Builder v1() {
    return BackboneCard.newBuilder()
        .setFormatVersion(1)
        .setName("micro")
        .setInputHeight(32)
        .setInputWidth(48)
        .setPatchSize(8)
        .setEmbedDim(16)
        .setPromptTokens(4)
        .setPromptLayers(2)
        .setSignature("encode")
        .setNormalization(
            Normalization.newBuilder()
                .addAllMean(Arrays.asList(0f, 0f, 0f))
                .addAllStd(Arrays.asList(1f, 1f, 1f)))
        .setFloatModel(ModelFile.newBuilder().setPath("m.tflite").setSha256("ab".repeat(32)));
  }

  static BackboneCard.Builder v2() {
    return v1().setFormatVersion(2)
        .clearPatchSize()
        .clearEmbedDim()
        .clearPromptTokens()
        .clearPromptLayers()
        .addPromptInputs(
            PromptInput.newBuilder()
                .setName("pixel_prompt")
                .setKind(PromptKind.PIXEL)
                .addAllShape(List.of(32, 48, 3)))
        .addPromptInputs(
            PromptInput.newBuilder()
                .setName("scale_shift_0")
                .setKind(PromptKind.CHANNEL_SCALE_SHIFT)
                .addAllShape(List.of(2, 8))
                .setPlacement("block0/out"))
        .addFeatureOutputs(
            FeatureOutput.newBuilder()
                .setName("features_s8")
                .setStride(8)
                .setChannels(8)
                .setHeight(4)
                .setWidth(6));
  }

  private CardFile read(BackboneCard card) throws IOException {
    Path path = dir.resolve("x.card.textproto");
    Files.writeString(path, TextFormat.printer().printToString(card));
    return CardFile.read(path);
  }

  private String refused(UnaryOperator<BackboneCard.Builder> change) {
    return assertThrows(BackboneException.class, () -> read(change.apply(v2()).build()))
        .getMessage();
  }

  @Test
  void v1CardIsSeenAsOneTokenInputAndOneFeatureOutput() throws IOException {
    CardFile card = read(v1().build());
    assertEquals(
        List.of(new PromptSlot("prompt", PromptKind.TOKENS, List.of(2, 4, 16), "")),
        card.promptInputs());
    assertEquals(List.of(new FeatureMap("features", 8, 16, 4, 6)), card.featureOutputs());
    assertEquals(2 * 4 * 16, card.promptInputs().get(0).size());
  }

  @Test
  void v2CardIsReadWithItsPromptInputsAndFeatureOutputs() throws IOException {
    CardFile card = read(v2().build());
    assertEquals(List.of("pixel_prompt", "scale_shift_0"), names(card));
    assertEquals(new FeatureMap("features_s8", 8, 8, 4, 6), card.featureOutputs().get(0));
    assertEquals("block0/out", card.promptInput("scale_shift_0").orElseThrow().placement());
  }

  private static List<String> names(CardFile card) {
    return card.promptInputs().stream().map(PromptSlot::name).toList();
  }

  @Test
  void identityOfEachKindLeavesTheBackboneUnchanged() throws IOException {
    CardFile card = read(v2().build());
    assertArrayEquals(new float[32 * 48 * 3], card.promptInputs().get(0).identity());
    assertArrayEquals(
        new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0},
        card.promptInputs().get(1).identity());
    assertArrayEquals(new float[2 * 4 * 16], read(v1().build()).promptInputs().get(0).identity());
  }

  @Test
  void newerVersionIsRefusedWithAnUpdateHint() {
    String m = refused(b -> b.setFormatVersion(3));
    assertTrue(m.contains("format_version 3") && m.contains("update PromptEdge"), m);
  }

  @Test
  void unknownKindIsRefusedNamingTheInput() {
    String m = refused(b -> b.setPromptInputs(0, b.getPromptInputs(0).toBuilder().setKindValue(9)));
    assertTrue(m.contains("'pixel_prompt' has unknown kind 9"), m);
  }

  @Test
  void unspecifiedKindIsRefused() {
    String m =
        refused(
            b ->
                b.setPromptInputs(
                    0,
                    b.getPromptInputs(0).toBuilder().setKind(PromptKind.PROMPT_KIND_UNSPECIFIED)));
    assertTrue(m.contains("unknown kind 0"), m);
  }

  @Test
  void duplicateNamesAreRefused() {
    String m =
        refused(
            b -> b.setPromptInputs(1, b.getPromptInputs(1).toBuilder().setName("pixel_prompt")));
    assertTrue(m.contains("'pixel_prompt' is used twice"), m);
    String f =
        refused(b -> b.setFeatureOutputs(0, b.getFeatureOutputs(0).toBuilder().setName("pixels")));
    assertTrue(f.contains("'pixels' is used twice"), f);
  }

  @Test
  void shapesThatDoNotFitTheKindAreRefused() {
    String pixel =
        refused(b -> b.setPromptInputs(0, b.getPromptInputs(0).toBuilder().setShape(0, 16)));
    assertTrue(pixel.contains("PIXEL, whose shape is the input's [32, 48, 3]"), pixel);
    String css =
        refused(b -> b.setPromptInputs(1, b.getPromptInputs(1).toBuilder().setShape(0, 3)));
    assertTrue(css.contains("[2, C]"), css);
    String tokens =
        refused(
            b -> b.setPromptInputs(1, b.getPromptInputs(1).toBuilder().setKind(PromptKind.TOKENS)));
    assertTrue(tokens.contains("TOKENS, whose shape is [L, P, D]"), tokens);
  }

  @Test
  void scaleShiftWithoutPlacementIsRefused() {
    String m =
        refused(b -> b.setPromptInputs(1, b.getPromptInputs(1).toBuilder().clearPlacement()));
    assertTrue(m.contains("names no placement"), m);
  }

  @Test
  void v2CardWithoutFeatureOutputsIsRefused() {
    String m = refused(BackboneCard.Builder::clearFeatureOutputs);
    assertTrue(m.contains("at least one feature output"), m);
  }

  @Test
  void featureOutputWithoutStrideIsRefused() {
    String m =
        refused(b -> b.setFeatureOutputs(0, b.getFeatureOutputs(0).toBuilder().clearStride()));
    assertTrue(m.contains("'features_s8' stride must be positive"), m);
  }

  @Test
  void aPromptInputTooLargeToHoldIsRefused() {
    String m =
        refused(
            b ->
                b.setPromptInputs(
                    1,
                    b.getPromptInputs(1).toBuilder()
                        .setKind(PromptKind.TOKENS)
                        .clearShape()
                        .addAllShape(List.of(65536, 65536, 8))));
    assertTrue(m.contains("holds more than 16777216 values"), m);
  }
}
