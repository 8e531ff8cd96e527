package dev.promptedge.tools.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.engine.Engine;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.Session;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.onnx.Parity;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The same model behind the engine seam, as TFLite flatbuffer on TFLite and as its ONNX conversion
 * on ONNX Runtime: same input and output names, same outputs within 1e-4 of scale.
 */
class EngineSeamParityTest {

  private static final InterpreterConfig TFLITE = new InterpreterConfig(1, false, Optional.empty());
  private static final InterpreterConfig ORT = TFLITE.withEngine(EngineKind.ONNXRUNTIME);

  @Test
  void demoVitBackbone() throws Exception {
    byte[] model = Files.readAllBytes(Path.of("..", "models", "demo", "demo-vit.tflite"));
    for (int batch : new int[] {1, 3}) {
      assertParity(model, VitBuilder.SIGNATURE, batch, 5);
    }
  }

  @Test
  void smallCnnBackbone() throws Exception {
    assertParity(CnnBuilder.build(4, 5), VitBuilder.SIGNATURE, 2, 7);
  }

  @Test
  void detectionHead() throws Exception {
    int outputs = 3 + HeadBuilder.DETECTION_EXTRA;
    byte[] head =
        HeadBuilder.build(TaskKind.DETECTION, HeadWeights.random(outputs, 32, 3), 4, 4, 32);
    assertParity(head, HeadBuilder.SIGNATURE, 2, 9);
  }

  @Test
  void onnxRuntimeRefusesWrongInputLengthNamingTheInput() throws Exception {
    byte[] model = CnnBuilder.build(4, 5);
    try (Session ort = open(model, VitBuilder.SIGNATURE, ORT)) {
      String input = ort.inputNames().get(0);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> ort.run(Map.of(input, new float[3]), 1));
      assertTrue(e.getMessage().contains(input), e.getMessage());
    }
  }

  private static void assertParity(byte[] tflite, String key, int batch, long seed) {
    try (Session tfl = open(tflite, key, TFLITE);
        Session ort = open(tflite, key, ORT)) {
      assertEquals(Set.copyOf(tfl.inputNames()), Set.copyOf(ort.inputNames()));
      assertEquals(Set.copyOf(tfl.outputNames()), Set.copyOf(ort.outputNames()));
      Random random = new Random(seed);
      Map<String, float[]> inputs = new HashMap<>();
      for (String name : tfl.inputNames()) {
        int[] sample = tfl.input(name).sampleShape();
        assertEquals(
            java.util.Arrays.toString(sample),
            java.util.Arrays.toString(ort.input(name).sampleShape()),
            name);
        int size = 1;
        for (int d : sample) {
          size *= d;
        }
        float[] values = new float[size * batch];
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) random.nextGaussian();
        }
        inputs.put(name, values);
      }
      Map<String, float[]> expected = tfl.run(inputs, batch);
      Map<String, float[]> actual = ort.run(inputs, batch);
      for (String name : tfl.outputNames()) {
        double worst = Parity.relativeError(expected.get(name), actual.get(name));
        assertTrue(
            worst <= Parity.TOLERANCE,
            name + " differs by " + worst + " of scale at batch " + batch);
      }
    }
  }

  private static Session open(byte[] tflite, String key, InterpreterConfig config) {
    Engine engine = Engine.of(config);
    byte[] bytes =
        engine.kind() == EngineKind.TFLITE
            ? tflite
            : TfliteToOnnx.convert(tflite, key).toByteArray();
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    buffer.put(bytes).rewind();
    return engine.open(buffer, key, config);
  }
}
