package dev.promptedge.runtime.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import java.util.Map;

/**
 * Fuzzing of the head gate: whatever the head bytes, {@link HeadModel#open} (the verifier, then the
 * interpreter) either refuses them with a {@link BundleException} or gives a head that runs to
 * finite outputs or a refusal. Jazzer runs {@link #open} over the checked-in inputs (the real demo
 * heads and two heads that aborted the JVM before the verifier) under {@code mvn test} and fuzzes
 * it with {@code JAZZER_FUZZ=1}; a native abort is then a finding.
 */
class HeadModelFuzzTest {

  private static final PromptBundle BUNDLE;
  private static final CardFile CARD;
  private static final float[] FEATURES;

  static {
    try {
      BUNDLE = HeadModelTest.bundle("fashion-detect.bundle");
      CARD = HeadModelTest.card("demo-vit.card.textproto");
      FEATURES = HeadSweep.features(CARD);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void open(byte[] head) {
    PromptBundle bundle = BUNDLE.toBuilder().setHead(ByteString.copyFrom(head)).build();
    try (HeadModel model = HeadModel.open(bundle, CARD, HeadModelTest.CONFIG)) {
      for (float v : model.run(Map.of(BundleInputs.V1_FEATURES, FEATURES), 1)) {
        if (Float.isNaN(v)) {
          throw new AssertionError("a verified head gave NaN");
        }
      }
    } catch (BundleException expected) {
      // The documented refusal.
    }
  }
}
