package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.TfliteGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 ranges of a full-integer model, applied as clamps to the float graph on the host, make
 * the host compute what the int8 interpreter computes where a prompt drives activations beyond the
 * calibrated ranges, and change nothing that stays within them.
 */
class Int8RangesTest {

  @TempDir Path dir;

  @Test
  void clampedHostForwardFollowsTheInt8InterpreterBeyondTheCalibratedRanges() throws Exception {
    CardFile card = CnnFiles.writePromptableCnn(dir, "cnn", 11, QuantizeFixtures.PROVENANCE);
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    byte[] int8Model =
        Quantizer.fullInteger(
                floatModel, QuantizeFixtures.calibration(card), QuantizeFixtures.CONFIG)
            .bytes();
    String key = card.card().getSignature();
    TfliteGraph graph = TfliteGraph.read(floatModel, key);
    Map<String, float[]> ranges = Int8Ranges.of(int8Model);
    Map<String, float[]> clamps = new LinkedHashMap<>();
    for (String name : graph.activationNames()) {
      if (ranges.containsKey(name)) {
        clamps.put(name, ranges.get(name));
      }
    }
    // Every int8 op's output keeps its float name: most of the graph is clamped.
    assertTrue(
        clamps.size() * 2 > graph.activationNames().size(),
        clamps.size() + " of " + graph.activationNames());
    for (Map.Entry<String, float[]> r : clamps.entrySet()) {
      float[] range = r.getValue();
      assertTrue(range[0] <= 0 && range[1] >= 0 && range[1] > range[0], r.getKey());
    }

    Map<String, float[]> sample = QuantizeFixtures.heldOut(card).get(0);
    Map<String, float[]> pushed = new HashMap<>(sample);
    float[] pixelPrompt = sample.get(CnnBuilder.PIXEL_PROMPT).clone();
    Arrays.fill(pixelPrompt, 6f); // far beyond the prompts the model was calibrated with
    pushed.put(CnnBuilder.PIXEL_PROMPT, pixelPrompt);

    float[] int8 = QuantizeFixtures.run(int8Model, key, pushed, CnnBuilder.FEATURES_S8, 1);
    try (GraphExecutor plain = GraphExecutor.builder(graph).build();
        GraphExecutor clamped = GraphExecutor.builder(graph).optClamp(clamps).build()) {
      float[] floatOut = plain.run(pushed, 1).get(CnnBuilder.FEATURES_S8);
      float[] clampedOut = clamped.run(pushed, 1).get(CnnBuilder.FEATURES_S8);
      double floatError = meanAbsDifference(floatOut, int8);
      double clampedError = meanAbsDifference(clampedOut, int8);
      assertTrue(
          clampedError < floatError / 4,
          "clamped " + clampedError + " vs float " + floatError + " from int8");

      float[] inRange = plain.run(sample, 1).get(CnnBuilder.FEATURES_S8);
      System.out.println(
          "in-range float vs int8 "
              + meanAbsDifference(
                  inRange, QuantizeFixtures.run(int8Model, key, sample, CnnBuilder.FEATURES_S8, 1))
              + " pushed float "
              + floatError
              + " clamped "
              + clampedError);
      float[] inRangeClamped = clamped.run(sample, 1).get(CnnBuilder.FEATURES_S8);
      assertTrue(
          meanAbsDifference(inRange, inRangeClamped) < 0.05 * meanAbs(inRange),
          "in-range sample changed by the clamps");
    }
  }

  @Test
  void clampsMustNameOperatorOutputsAndBeOrdered() throws Exception {
    CardFile card = CnnFiles.writePromptableCnn(dir, "cnn", 11, QuantizeFixtures.PROVENANCE);
    TfliteGraph graph =
        TfliteGraph.read(QuantizedBackboneFiles.floatModel(card), card.card().getSignature());
    IllegalArgumentException unknown =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () ->
                GraphExecutor.builder(graph)
                    .optClamp(Map.of("no/such/tensor", new float[] {-1, 1}))
                    .build());
    assertTrue(unknown.getMessage().contains("no/such/tensor"), unknown.getMessage());
    String output = graph.activationNames().get(0);
    IllegalArgumentException reversed =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> GraphExecutor.builder(graph).optClamp(Map.of(output, new float[] {1, -1})));
    assertTrue(reversed.getMessage().contains("[low, high]"), reversed.getMessage());
  }

  private static double meanAbsDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs(a[i] - b[i]);
    }
    return sum / a.length;
  }

  private static double meanAbs(float[] a) {
    double sum = 0;
    for (float v : a) {
      sum += Math.abs(v);
    }
    return sum / a.length;
  }
}
