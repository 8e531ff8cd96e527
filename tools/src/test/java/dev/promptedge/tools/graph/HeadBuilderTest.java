package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.engine.SignatureRunner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeadBuilderTest {

  static final int GRID_H = 4;
  static final int GRID_W = 3;
  static final int DIM = 32;

  @ParameterizedTest(name = "{0} batch={1}")
  @CsvSource({
    "DETECTION, 1",
    "DETECTION, 3",
    "SEGMENTATION, 1",
    "SEGMENTATION, 3",
    "CLASSIFICATION, 1",
    "CLASSIFICATION, 3"
  })
  void interpreterMatchesReference(TaskKind kind, int batch) {
    int classes = 3;
    int outputs = kind == TaskKind.DETECTION ? classes + HeadBuilder.DETECTION_EXTRA : classes;
    HeadWeights weights = HeadWeights.random(outputs, DIM, 21);
    float[] features = VitBuilderTest.gaussian(batch * GRID_H * GRID_W * DIM, 5);
    float[] expected = ReferenceHead.apply(kind, weights, features, batch, GRID_H, GRID_W, DIM);

    byte[] model = HeadBuilder.build(kind, weights, GRID_H, GRID_W, DIM);
    try (TfliteRunner runner = new TfliteRunner(model, HeadBuilder.SIGNATURE)) {
      SignatureRunner signature = runner.signature();
      assertEquals(List.of(HeadBuilder.FEATURES), signature.inputNames());
      assertEquals(List.of(HeadBuilder.OUTPUTS), signature.outputNames());
      assertArrayEquals(
          new int[] {-1, GRID_H, GRID_W, DIM}, signature.input(HeadBuilder.FEATURES).signature());

      float[] actual =
          runner.run(Map.of(HeadBuilder.FEATURES, features), HeadBuilder.OUTPUTS, batch);
      int[] shape = signature.output(HeadBuilder.OUTPUTS).shape();
      int[] expectedShape =
          kind == TaskKind.CLASSIFICATION
              ? new int[] {batch, outputs}
              : new int[] {batch, GRID_H, GRID_W, outputs};
      assertArrayEquals(expectedShape, shape);
      float max = VitBuilderTest.maxAbsDiff(expected, actual);
      System.out.printf("%s head batch=%d max abs error %.3g%n", kind, batch, max);
      assertTrue(max <= VitBuilderTest.TOLERANCE, "max abs error " + max);
    }
  }

  @Test
  void detectionHeadNeedsRoomForBoxes() {
    HeadWeights weights = HeadWeights.random(5, DIM, 1);
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeadBuilder.build(TaskKind.DETECTION, weights, GRID_H, GRID_W, DIM));
    assertTrue(error.getMessage().contains("at least 6"), error.getMessage());
  }

  @Test
  void unspecifiedTaskKindIsRefused() {
    HeadWeights weights = HeadWeights.random(3, DIM, 1);
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeadBuilder.build(TaskKind.TASK_KIND_UNSPECIFIED, weights, GRID_H, GRID_W, DIM));
    assertTrue(error.getMessage().contains("TASK_KIND_UNSPECIFIED"), error.getMessage());
  }

  @Test
  void featureWidthMismatchNamesBothWidths() {
    HeadWeights weights = HeadWeights.random(3, 16, 1);
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> HeadBuilder.build(TaskKind.SEGMENTATION, weights, GRID_H, GRID_W, DIM));
    assertTrue(
        error.getMessage().contains("16") && error.getMessage().contains("32"), error.getMessage());
  }

  @Test
  void sameSeedSameHeadBytes() {
    byte[] first =
        HeadBuilder.build(
            TaskKind.CLASSIFICATION, HeadWeights.random(4, DIM, 9), GRID_H, GRID_W, DIM);
    byte[] second =
        HeadBuilder.build(
            TaskKind.CLASSIFICATION, HeadWeights.random(4, DIM, 9), GRID_H, GRID_W, DIM);
    assertArrayEquals(first, second);
  }
}
