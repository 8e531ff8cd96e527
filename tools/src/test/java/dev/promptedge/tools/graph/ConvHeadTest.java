package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.tflite.ModelLimits;
import dev.promptedge.runtime.tflite.ModelVerifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The conv head (depthwise-separable residual blocks before the linear output): the host engine and
 * the 2.6.2 interpreter agree on the written flatbuffer, the head verifier accepts it, and its size
 * on the demo ViT's and the imported NanoDet's feature grids.
 */
class ConvHeadTest {

  static final double ABS_TOLERANCE = 1e-5;

  static List<ConvBlockWeights> blocks(int n, int dim, long seed) {
    List<ConvBlockWeights> blocks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      blocks.add(ConvBlockWeights.random(dim, seed + i));
    }
    return blocks;
  }

  static byte[] head(TaskKind kind, int blocks, int classes, int gh, int gw, int dim) {
    int outputs = kind == TaskKind.DETECTION ? classes + HeadBuilder.DETECTION_EXTRA : classes;
    return HeadBuilder.build(
        kind,
        blocks(blocks, dim, 7),
        HeadWeights.random(outputs, dim, 3),
        HeadBuilder.FEATURES,
        gh,
        gw,
        dim);
  }

  @ParameterizedTest(name = "{0} blocks={1} batch={2}")
  @CsvSource({
    "DETECTION, 1, 1",
    "DETECTION, 2, 3",
    "SEGMENTATION, 1, 2",
    "SEGMENTATION, 2, 1",
    "CLASSIFICATION, 1, 3",
    "CLASSIFICATION, 2, 1"
  })
  void hostEngineMatchesInterpreter(TaskKind kind, int blocks, int batch) {
    byte[] model = head(kind, blocks, 3, 5, 4, 24);
    ModelVerifier.verify(ByteBuffer.wrap(model), ModelLimits.head());
    assertEquals(
        blocks * 3 + (kind == TaskKind.CLASSIFICATION ? 2 : 3),
        TfliteGraph.read(model, HeadBuilder.SIGNATURE).operatorNames().size());
    var inputs = Parity.randomInputs(model, HeadBuilder.SIGNATURE, batch, 11);
    InterpreterParity.Result r = Parity.compare(model, HeadBuilder.SIGNATURE, inputs, batch);
    System.out.printf(
        "conv head %s blocks=%d batch=%d: max abs difference %.3g (scale %.3g)%n",
        kind, blocks, batch, r.maxAbsError(), r.scale());
    assertTrue(r.maxAbsError() <= ABS_TOLERANCE, "max abs difference " + r.maxAbsError());
    assertTrue(r.scale() > 0.1, "outputs are not all near zero");
  }

  @Test
  void blocksChangeTheOutputAndKeepItsShape() {
    byte[] linear = head(TaskKind.SEGMENTATION, 0, 3, 5, 4, 24);
    byte[] conv = head(TaskKind.SEGMENTATION, 1, 3, 5, 4, 24);
    Map<String, float[]> inputs = Parity.randomInputs(conv, HeadBuilder.SIGNATURE, 2, 5);
    float[] a = run(linear, inputs, 2);
    float[] b = run(conv, inputs, 2);
    assertEquals(a.length, b.length);
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    assertTrue(diff > 1e-3, "the conv block changed nothing: " + diff);
  }

  @Test
  void blockOnTheWrongWidthIsRefused() {
    HeadWeights linear = HeadWeights.random(3, 24, 1);
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                HeadBuilder.build(
                    TaskKind.SEGMENTATION,
                    blocks(1, 16, 1),
                    linear,
                    HeadBuilder.FEATURES,
                    5,
                    4,
                    24));
    assertTrue(error.getMessage().contains("D = 16"), error.getMessage());
  }

  @Test
  void headNamesParse() {
    assertEquals(HeadType.CONV, HeadType.parse("conv"));
    assertEquals(2, HeadType.parse("conv2").blocks());
    var error = assertThrows(IllegalArgumentException.class, () -> HeadType.parse("mlp"));
    assertTrue(error.getMessage().contains("linear, conv"), error.getMessage());
  }

  /** Bytes of the detection head (10 classes) on the demo ViT's and NanoDet's stride-8 grids. */
  @ParameterizedTest(name = "{0}x{1}x{2}")
  @CsvSource({"8, 8, 96", "16, 16, 128"})
  void detectionHeadBytes(int gh, int gw, int dim) {
    int[] bytes = new int[3];
    for (int blocks = 0; blocks < 3; blocks++) {
      bytes[blocks] = head(TaskKind.DETECTION, blocks, 10, gh, gw, dim).length;
      ModelVerifier.verify(
          ByteBuffer.wrap(head(TaskKind.DETECTION, blocks, 10, gh, gw, dim)), ModelLimits.head());
    }
    int blockBytes = 4 * (9 * dim + dim + dim * dim + dim);
    System.out.printf(
        "detection head, 10 classes, features %dx%dx%d: linear %d bytes, conv %d, conv2 %d%n",
        gh, gw, dim, bytes[0], bytes[1], bytes[2]);
    assertTrue(bytes[0] >= 4 * 15 * (dim + 1), "linear head holds its weights");
    for (int b = 1; b < 3; b++) {
      int extra = bytes[b] - bytes[b - 1];
      assertTrue(
          extra >= blockBytes && extra < blockBytes + 2048,
          "block " + b + " adds " + extra + " bytes, its weights are " + blockBytes);
    }
  }

  @Test
  void oneCellGridPadsEveryNeighbour() {
    // A head of a single depthwise block over a grid of 1 x 1 cells: SAME 3x3 on one cell.
    byte[] model = head(TaskKind.DETECTION, 1, 1, 1, 1, 8);
    ModelVerifier.verify(ByteBuffer.wrap(model), ModelLimits.head());
    var inputs = Parity.randomInputs(model, HeadBuilder.SIGNATURE, 2, 1);
    assertTrue(Parity.compare(model, HeadBuilder.SIGNATURE, inputs, 2).maxAbsError() <= 1e-5);
  }

  private static float[] run(byte[] model, Map<String, float[]> inputs, int batch) {
    try (GraphExecutor exec =
        GraphExecutor.builder(TfliteGraph.read(model, HeadBuilder.SIGNATURE)).build()) {
      return exec.run(inputs, batch).get(HeadBuilder.OUTPUTS);
    }
  }
}
