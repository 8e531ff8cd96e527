package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskModelBuilderTest {

  @ParameterizedTest(name = "{0} deep={1}")
  @CsvSource({"DETECTION, false", "SEGMENTATION, true", "CLASSIFICATION, false"})
  void bakedModelEqualsBackboneThenHead(TaskKind kind, boolean deep) {
    VitSpec spec = VitSpec.micro(deep);
    VitWeights weights = VitWeights.random(spec, 3);
    float[] prompt = VitBuilderTest.gaussian(VitBuilderTest.promptSize(spec, 1), 4);
    int outputs = kind == TaskKind.DETECTION ? 3 + HeadBuilder.DETECTION_EXTRA : 3;
    HeadWeights head = HeadWeights.random(outputs, spec.embedDim(), 5);
    float[] pixels = VitBuilderTest.gaussian(spec.inputHeight() * spec.inputWidth() * 3, 6);

    float[] expected;
    try (TfliteRunner backbone =
            new TfliteRunner(VitBuilder.build(spec, weights), VitBuilder.SIGNATURE);
        TfliteRunner headRunner =
            new TfliteRunner(
                HeadBuilder.build(kind, head, spec.gridHeight(), spec.gridWidth(), spec.embedDim()),
                HeadBuilder.SIGNATURE)) {
      float[] features = VitBuilderTest.encode(backbone, pixels, prompt, 1);
      expected = headRunner.run(Map.of(HeadBuilder.FEATURES, features), HeadBuilder.OUTPUTS, 1);
    }

    byte[] baked = TaskModelBuilder.build(spec, weights, prompt, kind, head);
    try (TfliteRunner runner = new TfliteRunner(baked, TaskModelBuilder.SIGNATURE)) {
      assertEquals(List.of(TaskModelBuilder.PIXELS), runner.signature().inputNames());
      assertEquals(List.of(TaskModelBuilder.OUTPUTS), runner.signature().outputNames());
      assertArrayEquals(
          new int[] {1, spec.inputHeight(), spec.inputWidth(), 3},
          runner.signature().input(TaskModelBuilder.PIXELS).signature());
      float[] actual =
          runner.run(Map.of(TaskModelBuilder.PIXELS, pixels), TaskModelBuilder.OUTPUTS, 1);
      assertEquals(expected.length, actual.length);
      float max = VitBuilderTest.maxAbsDiff(expected, actual);
      assertTrue(max <= VitBuilderTest.TOLERANCE, "max abs error " + max);
    }
  }

  @Test
  void bakedModelIsAboutBackbonePlusHead() {
    VitSpec spec = VitSpec.micro(false);
    VitWeights weights = VitWeights.random(spec, 3);
    float[] prompt = new float[VitBuilderTest.promptSize(spec, 1)];
    HeadWeights head = HeadWeights.random(4, spec.embedDim(), 5);
    int backbone = VitBuilder.build(spec, weights).length;
    int headBytes =
        HeadBuilder.build(
                TaskKind.SEGMENTATION, head, spec.gridHeight(), spec.gridWidth(), spec.embedDim())
            .length;
    int baked = TaskModelBuilder.build(spec, weights, prompt, TaskKind.SEGMENTATION, head).length;
    assertTrue(baked > backbone, baked + " <= " + backbone);
    assertTrue(baked < backbone + headBytes + prompt.length * 4, baked + " too large");
  }

  @Test
  void refusesAPromptOfTheWrongSize() {
    VitSpec spec = VitSpec.micro(true);
    VitWeights weights = VitWeights.random(spec, 3);
    HeadWeights head = HeadWeights.random(3, spec.embedDim(), 5);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TaskModelBuilder.build(spec, weights, new float[7], TaskKind.CLASSIFICATION, head));
    assertTrue(e.getMessage().contains("prompt"), e.getMessage());
  }
}
