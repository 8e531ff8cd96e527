package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.promptedge.format.Precision;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.TensorT;

/** One SGD step on a few weights computed with DJL, written back, run by the interpreter. */
class GraphWriteBackTest {

  private static final List<String> TRAINED =
      List.of("block0/mlp/fc1/weight", "final_norm/gamma", "patch_embed/kernel");

  @Test
  void sgdStepIsWrittenBackAndRunsInTheInterpreter(@TempDir Path dir) throws Exception {
    VitSpec spec = VitSpec.micro(false);
    CardFile base =
        BackboneFiles.write(
            dir,
            spec,
            VitWeights.random(spec, 7),
            Provenance.newBuilder().setCommand("test").setSeed(7).build());
    byte[] original = Files.readAllBytes(base.modelPath(false));
    TfliteGraph graph = TfliteGraph.read(original, VitBuilder.SIGNATURE);
    int batch = 2;
    Map<String, float[]> inputs = Parity.randomInputs(original, VitBuilder.SIGNATURE, batch, 5);

    Map<String, float[]> updated = new HashMap<>();
    try (GraphExecutor exec = GraphExecutor.builder(graph).optTrainable(TRAINED).build();
        NDManager scope = exec.manager().newSubManager()) {
      Map<String, NDArray> in = new HashMap<>();
      for (String name : graph.inputNames()) {
        in.put(name, scope.create(inputs.get(name), exec.batchShape(name, batch)));
      }
      try (GradientCollector collector = exec.newGradientCollector()) {
        NDArray features = exec.forward(scope, in).get(VitBuilder.FEATURES);
        collector.backward(features.square().mean());
      }
      for (String name : TRAINED) {
        NDArray p = exec.parameter(name);
        updated.put(name, p.sub(p.getGradient().mul(0.5)).toFloatArray());
        assertNotEquals(0f, p.getGradient().abs().sum().getFloat(), name + " has a gradient");
      }
    }
    byte[] written = GraphWriteBack.withConstants(graph, updated);

    // The same graph, new values where trained, every other buffer byte-identical.
    ModelT before = ModelT.deserializeFromBinary(original);
    ModelT after = ModelT.deserializeFromBinary(written);
    TensorT[] tensorsBefore = before.getSubgraphs()[0].getTensors();
    TensorT[] tensorsAfter = after.getSubgraphs()[0].getTensors();
    assertEquals(tensorsBefore.length, tensorsAfter.length);
    assertEquals(
        before.getSubgraphs()[0].getOperators().length,
        after.getSubgraphs()[0].getOperators().length);
    int untouched = 0;
    for (int i = 0; i < tensorsBefore.length; i++) {
      assertEquals(tensorsBefore[i].getName(), tensorsAfter[i].getName());
      BufferT a = before.getBuffers()[(int) tensorsBefore[i].getBuffer()];
      BufferT b = after.getBuffers()[(int) tensorsAfter[i].getBuffer()];
      if (!TRAINED.contains(tensorsBefore[i].getName())) {
        assertArrayEquals(a.getData(), b.getData(), tensorsBefore[i].getName());
        untouched++;
      }
    }
    assertTrue(untouched > 50);
    TfliteGraph reread = TfliteGraph.read(written, VitBuilder.SIGNATURE);
    for (String name : TRAINED) {
      assertArrayEquals(updated.get(name), reread.constant(name), name);
      assertFalse(java.util.Arrays.equals(graph.constant(name), reread.constant(name)), name);
    }

    // The interpreter runs it and agrees with DJL; the step changed the features.
    InterpreterParity.Result r = Parity.compare(written, VitBuilder.SIGNATURE, inputs, batch);
    System.out.printf(
        "write-back micro-shallow: interpreter vs DJL max abs error %.3g, scale %.3g%n",
        r.maxAbsError(), r.scale());
    assertTrue(r.relative() <= Parity.TOLERANCE, r.toString());
    try (TfliteRunner old = new TfliteRunner(original, VitBuilder.SIGNATURE);
        TfliteRunner now = new TfliteRunner(written, VitBuilder.SIGNATURE)) {
      assertFalse(
          java.util.Arrays.equals(
              old.run(inputs, VitBuilder.FEATURES, batch),
              now.run(inputs, VitBuilder.FEATURES, batch)));
    }

    // A new card: new hash, provenance note appended, readable by the runtime.
    // The base names an ONNX form of its old weights, which the new card must not carry.
    CardFile exported =
        new CardFile(
            base.path(),
            base.card().toBuilder()
                .setOnnxModel(BackboneFiles.modelFile("micro.onnx", original, Precision.FLOAT32))
                .build());
    CardFile card =
        GraphWriteBack.writeBackbone(dir, "micro-tuned", exported, written, "one SGD step (test)");
    CardFile read = CardFile.read(dir.resolve("micro-tuned" + CardFile.SUFFIX));
    assertEquals(card.card(), read.card());
    assertEquals(Sha256.hex(written), read.card().getFloatModel().getSha256());
    assertNotEquals(
        base.card().getFloatModel().getSha256(), read.card().getFloatModel().getSha256());
    assertArrayEquals(written, Files.readAllBytes(read.modelPath(false)));
    List<String> notes = read.card().getProvenance().getNotesList();
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).startsWith("one SGD step (test) (written back from float model "));
    assertTrue(notes.get(0).endsWith("dropped: quantize and export again)"), notes.get(0));
    assertFalse(read.card().hasOnnxModel());
    assertFalse(read.card().hasOnnxQuantizedModel());
    assertFalse(read.card().hasQuantizedModel());
    assertEquals("test", read.card().getProvenance().getCommand());
  }

  @Test
  void sharedBuffersAreSplitAndWrongLengthsRefused() {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 4);
    int a = m.weights("a", 4);
    byte[] model =
        m.op(
            org.tensorflow.lite.schema.BuiltinOperator.ADD,
            org.tensorflow.lite.schema.BuiltinOptions.AddOptions,
            new org.tensorflow.lite.schema.AddOptionsT(),
            new int[] {-1, 4},
            x,
            a);
    // Make a second constant share a's buffer, as converters dedupe identical weights.
    ModelT parsed = ModelT.deserializeFromBinary(model);
    TensorT[] tensors = parsed.getSubgraphs()[0].getTensors();
    TensorT twin = new TensorT();
    twin.setName("a_twin");
    twin.setType(tensors[a].getType());
    twin.setShape(tensors[a].getShape());
    twin.setBuffer(tensors[a].getBuffer());
    TensorT[] more = java.util.Arrays.copyOf(tensors, tensors.length + 1);
    more[tensors.length] = twin;
    parsed.getSubgraphs()[0].setTensors(more);
    TfliteGraph graph = TfliteGraph.read(parsed.serializeToBinary(), OneOp.KEY);
    float[] before = graph.constant("a_twin");
    byte[] written = GraphWriteBack.withConstants(graph, Map.of("a", new float[] {1, 2, 3, 4}));
    TfliteGraph reread = TfliteGraph.read(written, OneOp.KEY);
    assertArrayEquals(new float[] {1, 2, 3, 4}, reread.constant("a"));
    assertArrayEquals(before, reread.constant("a_twin"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> GraphWriteBack.withConstants(graph, Map.of("a", new float[3])));
    assertEquals("constant 'a' has 4 values, the update has 3", e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> GraphWriteBack.withConstants(graph, Map.of("nope", new float[3])));
    assertEquals(Set.of("a", "a_twin"), Set.copyOf(graph.constantNames()));
  }
}
