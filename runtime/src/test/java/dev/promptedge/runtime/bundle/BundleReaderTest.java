package dev.promptedge.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Normalization;
import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SelfTest;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BundleReaderTest {

  static final String SHA = "ab".repeat(32);

  static final CardFile CARD =
      new CardFile(
          Path.of("micro.card.textproto"),
          BackboneCard.newBuilder()
              .setFormatVersion(1)
              .setName("micro")
              .setInputHeight(32)
              .setInputWidth(32)
              .setPatchSize(8)
              .setEmbedDim(4)
              .setPromptTokens(2)
              .setPromptLayers(1)
              .setSignature("encode")
              .setNormalization(
                  Normalization.newBuilder()
                      .addAllMean(Arrays.asList(0f, 0f, 0f))
                      .addAllStd(Arrays.asList(1f, 1f, 1f)))
              .setFloatModel(ModelFile.newBuilder().setPath("micro.tflite").setSha256(SHA))
              .build());

  private final BundleReader reader = new BundleReader(CARD, 64 * 1024);

  static PromptBundle.Builder valid() {
    FloatTensor.Builder prompt = FloatTensor.newBuilder().addShape(1).addShape(2).addShape(4);
    for (int i = 0; i < 8; i++) {
      prompt.addValues(i * 0.1f);
    }
    PostProcessing.Builder post = PostProcessing.newBuilder();
    post.getDetectionBuilder().setScoreThreshold(0.3f).setIouThreshold(0.5f).setMaxDetections(10);
    return PromptBundle.newBuilder()
        .setFormatVersion(1)
        .setName("shapes")
        .setTask(TaskKind.DETECTION)
        .setVersion(3)
        .setBackboneSha256(SHA)
        .addLabels("circle")
        .setPrompt(prompt)
        .setHead(ByteString.copyFromUtf8("head flatbuffer"))
        .setPostProcessing(post)
        .setSelfTest(SelfTest.newBuilder().setInputPng(ByteString.copyFromUtf8("png")));
  }

  static byte[] envelope(PromptBundle.Builder bundle) {
    return SignedBundle.newBuilder()
        .setFormatVersion(1)
        .setBundle(bundle.build().toByteString())
        .build()
        .toByteArray();
  }

  private BundleException refused(UnaryOperator<PromptBundle.Builder> change) {
    return refused(envelope(change.apply(valid())));
  }

  private BundleException refused(byte[] bytes) {
    return assertThrows(BundleException.class, () -> reader.read(bytes));
  }

  @Test
  void validBundleIsRead() {
    Bundle bundle = reader.read(envelope(valid()));
    assertEquals("shapes", bundle.name());
    assertEquals(3, bundle.version());
    float[] prompt = BundleInputs.prompts(bundle.bundle()).get("prompt");
    assertEquals(8, prompt.length);
    assertEquals(0.7f, prompt[7], 1e-7f);
    assertEquals(java.util.List.of("features"), BundleInputs.headFeatures(bundle.bundle()));
  }

  @Test
  void wrongBackboneHashIsRefusedNamingBothBackbones() {
    BundleException e = refused(b -> b.setBackboneSha256("cd".repeat(32)));
    assertEquals("wrong_backbone", e.code());
    assertTrue(e.getMessage().contains("cdcdcdcdcdcd"), e.getMessage());
    assertTrue(e.getMessage().contains("micro"), e.getMessage());
  }

  @Test
  void promptShapeOtherThanTheCardsIsRefused() {
    BundleException e =
        refused(b -> b.setPrompt(b.getPrompt().toBuilder().setShape(1, 4).setShape(2, 2)));
    assertEquals("prompt_shape", e.code());
    assertTrue(e.getMessage().contains("[1, 2, 4]"), e.getMessage());
  }

  @Test
  void promptWithMissingValuesIsRefused() {
    BundleException e =
        refused(
            b ->
                b.setPrompt(
                    b.getPrompt().toBuilder()
                        .clearValues()
                        .addAllValues(b.getPrompt().getValuesList().subList(1, 8))));
    assertEquals("prompt_shape", e.code());
    assertTrue(e.getMessage().contains("7 values"), e.getMessage());
  }

  @Test
  void unknownTaskKindIsRefused() {
    BundleException e = refused(b -> b.setTaskValue(17));
    assertEquals("unknown_task_kind", e.code());
    assertTrue(e.getMessage().contains("17"), e.getMessage());
  }

  @Test
  void versionAboveTheSignedRangeIsRefusedAndPrintedUnsigned() {
    BundleException e = refused(b -> b.setVersion(-1L));
    assertEquals("bad_version", e.code());
    assertTrue(e.getMessage().contains("v18446744073709551615"), e.getMessage());
    assertTrue(e.getMessage().contains("9223372036854775807"), e.getMessage());
  }

  @Test
  void overlongNameIsRefusedWithItsLength() {
    BundleException e = refused(b -> b.setName("a".repeat(250)));
    assertEquals("bad_name", e.code());
    assertTrue(e.getMessage().contains("250 characters"), e.getMessage());
  }

  @Test
  void missingTaskKindIsRefused() {
    assertEquals(
        "unknown_task_kind", refused(b -> b.setTask(TaskKind.TASK_KIND_UNSPECIFIED)).code());
  }

  @Test
  void postProcessingOfAnotherTaskIsRefused() {
    assertEquals("post_processing", refused(b -> b.setTask(TaskKind.SEGMENTATION)).code());
  }

  @Test
  void payloadOverTheCapIsRefusedBeforeParsing() {
    byte[] big = new byte[64 * 1024 + 1];
    BundleException e = refused(big);
    assertEquals("too_large", e.code());
    assertTrue(e.getMessage().contains("65537"), e.getMessage());
  }

  @Test
  void truncatedBytesAreRefusedAtEveryCut() {
    byte[] bytes = envelope(valid());
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] truncated = Arrays.copyOf(bytes, cut);
      BundleException e = refused(truncated);
      assertEquals("corrupt", e.code(), "cut at " + cut + ": " + e.getMessage());
    }
  }

  @Test
  void garbageIsRefusedAsCorrupt() {
    byte[] garbage = new byte[300];
    new java.util.Random(5).nextBytes(garbage);
    BundleException e = refused(garbage);
    assertTrue(e.code().equals("corrupt") || e.code().equals("unknown_version"), e.code());
  }

  @Test
  void newerFormatVersionIsRefusedWithAnUpdateHint() {
    BundleException e = refused(b -> b.setFormatVersion(3));
    assertEquals("unknown_version", e.code());
    assertTrue(e.getMessage().contains("update PromptEdge"), e.getMessage());
  }

  @Test
  void invalidNameIsRefused() {
    assertEquals("bad_name", refused(b -> b.setName("../etc")).code());
  }

  @Test
  void bundleWithoutSelfTestIsRefused() {
    assertEquals("no_self_test", refused(PromptBundle.Builder::clearSelfTest).code());
  }
}
