package dev.promptedge.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.NamedTensor;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import dev.promptedge.runtime.backbone.CardFile;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Version 2 bundles on a version 2 card with a PIXEL and a CHANNEL_SCALE_SHIFT input. */
class BundleReaderV2Test {

  static final CardFile CARD =
      new CardFile(
          Path.of("cnn.card.textproto"),
          BundleReaderTest.CARD.card().toBuilder()
              .setFormatVersion(2)
              .clearPatchSize()
              .clearEmbedDim()
              .clearPromptTokens()
              .clearPromptLayers()
              .addPromptInputs(
                  PromptInput.newBuilder()
                      .setName("pixel_prompt")
                      .setKind(PromptKind.PIXEL)
                      .addAllShape(List.of(32, 32, 3)))
              .addPromptInputs(
                  PromptInput.newBuilder()
                      .setName("scale_shift_0")
                      .setKind(PromptKind.CHANNEL_SCALE_SHIFT)
                      .addAllShape(List.of(2, 4))
                      .setPlacement("block0/out"))
              .addFeatureOutputs(feature("features_s8", 8, 4))
              .addFeatureOutputs(feature("features_s16", 16, 2))
              .build());

  private final BundleReader reader = new BundleReader(CARD, 1 << 20);

  static FeatureOutput feature(String name, int stride, int cells) {
    return FeatureOutput.newBuilder()
        .setName(name)
        .setStride(stride)
        .setChannels(4)
        .setHeight(cells)
        .setWidth(cells)
        .build();
  }

  static NamedTensor tensor(String input, float value, int... shape) {
    FloatTensor.Builder t = FloatTensor.newBuilder();
    int n = 1;
    for (int d : shape) {
      t.addShape(d);
      n *= d;
    }
    for (int i = 0; i < n; i++) {
      t.addValues(value);
    }
    return NamedTensor.newBuilder().setInput(input).setTensor(t).build();
  }

  static PromptBundle.Builder valid() {
    return BundleReaderTest.valid()
        .setFormatVersion(2)
        .clearPrompt()
        .addPrompts(tensor("scale_shift_0", 0.5f, 2, 4))
        .addHeadFeatures("features_s8")
        .addHeadFeatures("features_s16");
  }

  private BundleException refused(UnaryOperator<PromptBundle.Builder> change) {
    byte[] bytes = BundleReaderTest.envelope(change.apply(valid()));
    return assertThrows(BundleException.class, () -> reader.read(bytes));
  }

  @Test
  void v2BundleIsReadWithItsNamedPromptsAndHeadFeatures() {
    PromptBundle b = reader.read(BundleReaderTest.envelope(valid())).bundle();
    assertEquals(List.of("scale_shift_0"), List.copyOf(BundleInputs.prompts(b).keySet()));
    assertArrayEquals(
        new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f},
        BundleInputs.prompts(b).get("scale_shift_0"));
    assertEquals(List.of("features_s8", "features_s16"), BundleInputs.headFeatures(b));
  }

  @Test
  void promptForAnInputTheCardLacksIsRefusedNamingIt() {
    BundleException e = refused(b -> b.addPrompts(tensor("prompt", 0f, 1, 2, 4)));
    assertEquals("prompt_shape", e.code());
    assertTrue(e.getMessage().contains("'prompt'"), e.getMessage());
    assertTrue(e.getMessage().contains("[pixel_prompt, scale_shift_0]"), e.getMessage());
  }

  @Test
  void promptOfTheWrongShapeIsRefusedNamingTheInputsShape() {
    BundleException e = refused(b -> b.setPrompts(0, tensor("scale_shift_0", 1f, 2, 8)));
    assertEquals("prompt_shape", e.code());
    assertTrue(e.getMessage().contains("CHANNEL_SCALE_SHIFT input takes [2, 4]"), e.getMessage());
  }

  @Test
  void twoPromptsForOneInputAreRefused() {
    BundleException e = refused(b -> b.addPrompts(tensor("scale_shift_0", 1f, 2, 4)));
    assertEquals("prompt_shape", e.code());
    assertTrue(e.getMessage().contains("two prompts"), e.getMessage());
  }

  @Test
  void headFeatureTheCardLacksIsRefusedListingTheCardsOutputs() {
    BundleException e = refused(b -> b.addHeadFeatures("features_s32"));
    assertEquals("head_features", e.code());
    assertTrue(e.getMessage().contains("features_s32"), e.getMessage());
    assertTrue(e.getMessage().contains("[features_s8, features_s16]"), e.getMessage());
  }

  @Test
  void bundleWithoutHeadFeaturesIsRefused() {
    assertEquals("head_features", refused(PromptBundle.Builder::clearHeadFeatures).code());
  }

  @Test
  void v2BundleWithTheV1PromptFieldIsRefused() {
    BundleException e = refused(b -> b.setPrompt(BundleReaderTest.valid().getPrompt()));
    assertTrue(e.getMessage().contains("version 1 prompt field"), e.getMessage());
  }

  @Test
  void v1BundleOnThisCardIsRefusedBecauseTheCardHasNoTokenInput() {
    byte[] bytes = BundleReaderTest.envelope(BundleReaderTest.valid());
    BundleException e = assertThrows(BundleException.class, () -> reader.read(bytes));
    assertEquals("prompt_shape", e.code());
  }

  @Test
  void v2BundleOnAV1CardReadsItsTokens() {
    PromptBundle.Builder v2 =
        BundleReaderTest.valid()
            .setFormatVersion(2)
            .clearPrompt()
            .addPrompts(tensor("prompt", 0.25f, 1, 2, 4))
            .addHeadFeatures("features");
    PromptBundle b =
        new BundleReader(BundleReaderTest.CARD, 1 << 20)
            .read(BundleReaderTest.envelope(v2))
            .bundle();
    assertEquals(0.25f, BundleInputs.prompts(b).get("prompt")[7]);
  }

  @Test
  void cardWithoutPromptInputsTakesBundlesWithNoPrompts() {
    CardFile bare = new CardFile(CARD.path(), CARD.card().toBuilder().clearPromptInputs().build());
    PromptBundle b =
        new BundleReader(bare, 1 << 20)
            .read(BundleReaderTest.envelope(valid().clearPrompts()))
            .bundle();
    assertTrue(BundleInputs.prompts(b).isEmpty());
  }

  @Test
  void cardViewIsTheOneTheBundleWasCheckedAgainst() {
    BackboneCard c = CARD.card();
    assertEquals(2, c.getPromptInputsCount());
    assertEquals(8, CARD.featureOutputs().get(0).stride());
  }
}
