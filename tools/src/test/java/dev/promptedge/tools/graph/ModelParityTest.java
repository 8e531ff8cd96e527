package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.promptedge.format.TaskKind;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Whole models, host engine vs the 2.6.2 interpreter: micro ViTs, heads and the micro CNN. */
class ModelParityTest {

  @ParameterizedTest(name = "deep={0} batch={1}")
  @CsvSource({"false, 1", "false, 3", "true, 1", "true, 3"})
  void microVit(boolean deep, int batch) {
    VitSpec spec = VitSpec.micro(deep);
    byte[] model = VitBuilder.build(spec, VitWeights.random(spec, 7));
    check("micro ViT " + spec.name() + " batch " + batch, model, VitBuilder.SIGNATURE, batch);
  }

  @ParameterizedTest
  @EnumSource(
      value = TaskKind.class,
      names = {"DETECTION", "SEGMENTATION", "CLASSIFICATION"})
  void heads(TaskKind kind) {
    int outputs = kind == TaskKind.DETECTION ? 8 : 4;
    byte[] model = HeadBuilder.build(kind, HeadWeights.random(outputs, 32, 3), 4, 4, 32);
    check(kind + " head", model, HeadBuilder.SIGNATURE, 3);
  }

  @ParameterizedTest(name = "batch={0}")
  @CsvSource({"1", "4"})
  void microCnn(int batch) {
    check("micro CNN batch " + batch, CnnBuilder.build(4, 11), VitBuilder.SIGNATURE, batch);
  }

  @Test
  void cnnKeepsTheEncodeContract() {
    TfliteGraph graph = TfliteGraph.read(CnnBuilder.build(4, 11), VitBuilder.SIGNATURE);
    assertEquals(
        "[-1, 32, 32, 3] [-1, 1, 4, 16] [-1, 4, 4, 16]",
        java.util.Arrays.toString(graph.shapeOf("pixels"))
            + " "
            + java.util.Arrays.toString(graph.shapeOf("prompt"))
            + " "
            + java.util.Arrays.toString(graph.shapeOf("features")));
    assertTrue(graph.operatorNames().contains("RESIZE_BILINEAR"));
    assertTrue(graph.operatorNames().contains("DEPTHWISE_CONV_2D"));
  }

  @Test
  void forwardsDoNotLeakArrays() {
    VitSpec spec = VitSpec.micro(true);
    byte[] model = VitBuilder.build(spec, VitWeights.random(spec, 7));
    try (GraphExecutor exec =
        GraphExecutor.builder(TfliteGraph.read(model, VitBuilder.SIGNATURE)).build()) {
      Map<String, float[]> inputs = Parity.randomInputs(model, VitBuilder.SIGNATURE, 2, 1);
      int resident = exec.manager().getManagedArrays().size();
      float[] first = exec.run(inputs, 2).get(VitBuilder.FEATURES);
      for (int i = 0; i < 20; i++) {
        exec.run(inputs, 2);
      }
      try (NDManager scope = exec.manager().newSubManager()) {
        NDArray pixels = scope.create(inputs.get("pixels"), exec.batchShape("pixels", 2));
        NDArray prompt = scope.create(inputs.get("prompt"), exec.batchShape("prompt", 2));
        Map<String, NDArray> out = exec.forward(scope, Map.of("pixels", pixels, "prompt", prompt));
        assertEquals(3, scope.getManagedArrays().size(), "inputs and the one output only");
        assertEquals(
            java.util.Arrays.toString(first),
            java.util.Arrays.toString(out.get(VitBuilder.FEATURES).toFloatArray()));
      }
      assertEquals(resident, exec.manager().getManagedArrays().size());
    }
  }

  private static void check(String what, byte[] model, String signature, int batch) {
    Map<String, float[]> inputs = Parity.randomInputs(model, signature, batch, 17);
    InterpreterParity.Result r = Parity.compare(model, signature, inputs, batch);
    System.out.printf(
        "model %-36s max abs error %.3g, scale %.3g, relative %.3g%n",
        what, r.maxAbsError(), r.scale(), r.relative());
    assertTrue(r.relative() <= Parity.TOLERANCE, what + ": " + r);
  }
}
