package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/** The reader's contract and its refusals, each one message naming what is wrong. */
class TfliteGraphTest {

  @Test
  void readsTheEncodeContractOfTheMicroVit() {
    VitSpec spec = VitSpec.micro(true);
    TfliteGraph graph =
        TfliteGraph.read(VitBuilder.build(spec, VitWeights.random(spec, 1)), "encode");
    assertEquals(List.of("pixels", "prompt"), graph.inputNames());
    assertEquals(List.of("features"), graph.outputNames());
    assertEquals("[-1, 2, 4, 32]", java.util.Arrays.toString(graph.shapeOf("prompt")));
    assertTrue(graph.constantNames().contains("patch_embed/kernel"));
    assertEquals(32 * 8 * 8 * 3, graph.constant("patch_embed/kernel").length);
  }

  @Test
  void unsupportedOperatorIsNamed() {
    byte[] model = exp();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TfliteGraph.read(model, OneOp.KEY));
    assertTrue(e.getMessage().contains("operator 0 is EXP"), e.getMessage());
    assertTrue(e.getMessage().contains("does not support"), e.getMessage());
    GraphReport report = TfliteGraph.inspect(model, OneOp.KEY);
    assertFalse(report.ok());
    assertEquals(1, report.problems().size());
  }

  @Test
  void quantizedTensorIsNamedWithWhatToDo() {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 4);
    int w = m.weights("w", 3, 4);
    byte[] model =
        m.op(
            BuiltinOperator.FULLY_CONNECTED,
            BuiltinOptions.FullyConnectedOptions,
            new org.tensorflow.lite.schema.FullyConnectedOptionsT(),
            new int[] {-1, 3},
            x,
            w,
            -1);
    ModelT parsed = ModelT.deserializeFromBinary(model);
    TensorT weight = parsed.getSubgraphs()[0].getTensors()[w];
    weight.setType(TensorType.INT8);
    QuantizationParametersT q = new QuantizationParametersT();
    q.setScale(new float[] {0.1f});
    q.setZeroPoint(new long[] {0});
    weight.setQuantization(q);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TfliteGraph.read(parsed.serializeToBinary(), OneOp.KEY));
    assertTrue(e.getMessage().startsWith("tensor 'w' is quantized INT8"), e.getMessage());
    assertTrue(e.getMessage().contains("float .tflite"), e.getMessage());
  }

  @Test
  void missingSignatureListsTheOnesThereAre() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TfliteGraph.read(exp(), "encode"));
    assertTrue(
        e.getMessage().startsWith("model has no signature 'encode' (it has [serving_default])"),
        e.getMessage());
    assertEquals(List.of("serving_default"), TfliteGraph.inspect(exp(), "encode").signatures());
  }

  @Test
  void garbageIsNotAModel() {
    GraphReport report = TfliteGraph.inspect(new byte[] {1, 2, 3}, "encode");
    assertFalse(report.ok());
    assertTrue(report.problems().get(0).startsWith("not a TFLite flatbuffer"));
  }

  @Test
  void executorNamesMissingInputsAndUnknownTrainables() {
    VitSpec spec = VitSpec.micro(false);
    TfliteGraph graph =
        TfliteGraph.read(VitBuilder.build(spec, VitWeights.random(spec, 1)), "encode");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphExecutor.builder(graph).optTrainable(List.of("nope")).build());
    assertTrue(e.getMessage().startsWith("no float32 constants named [nope]"), e.getMessage());
    try (GraphExecutor exec = GraphExecutor.builder(graph).build()) {
      IllegalArgumentException missing =
          assertThrows(
              IllegalArgumentException.class,
              () -> exec.run(Map.of("pixels", new float[32 * 32 * 3]), 1));
      assertTrue(missing.getMessage().startsWith("input 'prompt' needs 128 floats"));
      exec.close();
      exec.close();
      assertThrows(IllegalStateException.class, () -> exec.run(Map.of(), 1));
    }
  }

  private static byte[] exp() {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 4);
    return m.op(BuiltinOperator.EXP, BuiltinOptions.NONE, null, new int[] {-1, 4}, x);
  }
}
