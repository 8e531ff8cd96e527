package dev.promptedge.runtime.bundle;

import static dev.promptedge.runtime.tflite.HostileModels.changed;
import static dev.promptedge.runtime.tflite.HostileModels.detect;
import static dev.promptedge.runtime.tflite.HostileModels.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.lite.schema.BufferT;

/** {@link HeadModel} on the real interpreter: real heads run, hostile ones are bundle refusals. */
class HeadModelTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, true, Optional.empty());

  static PromptBundle bundle(String name) throws Exception {
    return HeadSweep.bundle(HeadFlipSweepTest.resource(name));
  }

  static CardFile card(String name) throws Exception {
    return CardFile.read(HeadFlipSweepTest.resource(name));
  }

  static PromptBundle withHead(PromptBundle bundle, byte[] head) {
    return bundle.toBuilder().setHead(ByteString.copyFrom(head)).build();
  }

  @ParameterizedTest
  @CsvSource({
    "fashion-detect.bundle, demo-vit.card.textproto, 960",
    "fashion-segment.bundle, demo-vit.card.textproto, 704",
    "golden-detect.bundle, micro-shallow.card.textproto, 112"
  })
  void realHeadsOpenAndRunToFiniteOutputs(String bundle, String card, int outputs)
      throws Exception {
    CardFile c = card(card);
    try (HeadModel head = HeadModel.open(bundle(bundle), c, CONFIG)) {
      assertEquals(outputs, head.outputSize());
      float[] out = head.run(Map.of(BundleInputs.V1_FEATURES, HeadSweep.features(c)), 1);
      assertEquals(outputs, out.length);
      for (float v : out) {
        assertTrue(Float.isFinite(v), () -> Arrays.toString(out));
      }
    }
  }

  @Test
  void aHostileHeadIsRefusedBeforeAnInterpreterIsCreated() throws Exception {
    byte[] shortWeights =
        changed(
            detect(),
            m -> {
              BufferT weights = m.getBuffers()[(int) tensor(m, 3).getBuffer()];
              weights.setData(Arrays.copyOf(weights.getData(), 100));
            });
    long before = SignatureRunner.interpretersCreated(HeadModel.SIGNATURE);
    BundleException e =
        assertThrows(
            BundleException.class,
            () ->
                HeadModel.open(
                    withHead(bundle("fashion-detect.bundle"), shortWeights),
                    card("demo-vit.card.textproto"),
                    CONFIG));
    assertEquals("bad_head", e.code());
    assertTrue(e.getMessage().contains("bundle 'fashion-detect'"), e::getMessage);
    assertTrue(e.getMessage().contains("'logits/weight'"), e::getMessage);
    assertTrue(e.getMessage().contains("promptedge train"), e::getMessage);
    assertEquals(before, SignatureRunner.interpretersCreated(HeadModel.SIGNATURE));
  }

  @Test
  void anOperatorVersionTheInterpreterLacksIsARefusal() throws Exception {
    byte[] head = changed(detect(), m -> m.getOperatorCodes()[0].setVersion(9));
    BundleException e =
        assertThrows(
            BundleException.class,
            () ->
                HeadModel.open(
                    withHead(bundle("fashion-detect.bundle"), head),
                    card("demo-vit.card.textproto"),
                    CONFIG));
    assertEquals("head_failed", e.code(), e::getMessage);
    assertTrue(e.getMessage().contains("RESHAPE"), e::getMessage);
  }

  @Test
  void anInterpreterFailureWhileRunningIsARefusal() throws Exception {
    // A head fixed at batch 1: the interpreter refuses a batch of 2 when it runs.
    byte[] head =
        changed(
            detect(),
            m -> {
              for (var t : m.getSubgraphs()[0].getTensors()) {
                if (t.getShapeSignature().length > 0 && t.getShapeSignature()[0] == -1) {
                  t.getShapeSignature()[0] = 1;
                }
              }
            });
    CardFile card = card("demo-vit.card.textproto");
    try (HeadModel model =
        HeadModel.open(withHead(bundle("fashion-detect.bundle"), head), card, CONFIG)) {
      float[] features = HeadSweep.features(card);
      float[] two = Arrays.copyOf(features, features.length * 2);
      BundleException e =
          assertThrows(
              BundleException.class, () -> model.run(Map.of(BundleInputs.V1_FEATURES, two), 2));
      assertEquals("head_failed", e.code(), e::getMessage);
      assertTrue(e.getMessage().contains("fixed batch"), e::getMessage);
    }
  }

  @Test
  void aHeadWhoseSignatureNamesAnotherInputIsRefusedByTheCardContract() throws Exception {
    byte[] head = changed(detect(), m -> m.getSignatureDefs()[0].getInputs()[0].setName("pixels"));
    BundleException e =
        assertThrows(
            BundleException.class,
            () ->
                HeadModel.open(
                    withHead(bundle("fashion-detect.bundle"), head),
                    card("demo-vit.card.textproto"),
                    CONFIG));
    assertEquals("head_shape", e.code(), e::getMessage);
    assertTrue(e.getMessage().contains("pixels"), e::getMessage);
  }
}
