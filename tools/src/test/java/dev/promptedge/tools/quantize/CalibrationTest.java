package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.tools.graph.VitSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibration samples: random prompts, or the trained prompts of bundles cycled with them. */
class CalibrationTest {

  @TempDir Path dir;

  @Test
  void trainedPromptSetsAreCycledWithTheNoisyIdentity() throws Exception {
    CardFile card = QuantizeFixtures.backbone(dir, VitSpec.micro(false));
    PromptSlot slot = card.promptInputs().get(0);
    float[] a = filled(slot.size(), 0.75f);
    List<BufferedImage> images = images(card, 6);

    List<Map<String, float[]>> samples =
        Calibration.forBackbone(card, images, 0.02f, 3, List.of(Map.of(slot.name(), a), Map.of()))
            .samples();

    assertEquals(6, samples.size());
    assertArrayEquals(a, samples.get(0).get(slot.name()), "sample 0: the first set");
    assertArrayEquals(slot.identity(), samples.get(1).get(slot.name()), "an empty set: identity");
    assertNoisyIdentity(slot, samples.get(2).get(slot.name()));
    assertArrayEquals(a, samples.get(3).get(slot.name()));
    assertNoisyIdentity(slot, samples.get(5).get(slot.name()));
  }

  @Test
  void withoutTrainedSetsEveryFourthSampleIsTheIdentity() throws Exception {
    CardFile card = QuantizeFixtures.backbone(dir, VitSpec.micro(false));
    PromptSlot slot = card.promptInputs().get(0);
    List<Map<String, float[]>> samples =
        Calibration.forBackbone(card, images(card, 4), 0.02f, 3).samples();
    assertArrayEquals(slot.identity(), samples.get(3).get(slot.name()));
    assertNoisyIdentity(slot, samples.get(0).get(slot.name()));
  }

  @Test
  void aSetForAnotherBackboneIsRefusedByName() throws Exception {
    CardFile card = QuantizeFixtures.backbone(dir, VitSpec.micro(false));
    PromptSlot slot = card.promptInputs().get(0);
    List<BufferedImage> images = images(card, 2);
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Calibration.forBackbone(
                    card, images, 0.02f, 3, List.of(Map.of("scale_shift_0", new float[4]))));
    assertTrue(unknown.getMessage().contains("input 'scale_shift_0'"), unknown.getMessage());
    IllegalArgumentException size =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Calibration.forBackbone(
                    card, images, 0.02f, 3, List.of(Map.of(slot.name(), new float[3]))));
    assertTrue(size.getMessage().contains("has 3 values"), size.getMessage());
  }

  private static void assertNoisyIdentity(PromptSlot slot, float[] prompt) {
    float[] identity = slot.identity();
    double largest = 0;
    for (int i = 0; i < prompt.length; i++) {
      largest = Math.max(largest, Math.abs(prompt[i] - identity[i]));
    }
    assertTrue(largest > 0 && largest < 0.2, "identity plus N(0, 0.02^2): " + largest);
  }

  private static List<BufferedImage> images(CardFile card, int n) {
    var c = card.card();
    return CalibrationImages.synthetic(c.getInputWidth(), c.getInputHeight(), n, 100).images();
  }

  private static float[] filled(int n, float v) {
    float[] values = new float[n];
    Arrays.fill(values, v);
    return values;
  }
}
