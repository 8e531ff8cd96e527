package dev.promptedge.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.tools.graph.VitBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints batch-1 latency of the float demo backbone on TFLite (1 thread, XNNPACK) and on its ONNX
 * conversion in ONNX Runtime (1 intra-op thread): median of 50 runs after 20 warm-up runs, the two
 * engines alternating so both see the same machine load. A measurement, not a speed assertion.
 */
@Tag("slow")
class OnnxLatencyMeasurementTest {

  private static final int WARMUP = 20;
  private static final int RUNS = 50;

  @Test
  void demoVitFloatBatch1() throws Exception {
    byte[] tflite = Files.readAllBytes(Path.of("..", "models", "demo", "demo-vit.tflite"));
    byte[] onnx = TfliteToOnnx.convert(tflite, VitBuilder.SIGNATURE).toByteArray();
    ByteBuffer buffer = ByteBuffer.allocateDirect(tflite.length).order(ByteOrder.nativeOrder());
    buffer.put(tflite).rewind();
    try (SignatureRunner tfl =
            SignatureRunner.open(
                buffer, VitBuilder.SIGNATURE, new InterpreterConfig(1, true, Optional.empty()));
        OrtRunner ort = new OrtRunner(onnx)) {
      Random random = new Random(1);
      long[] pixelShape = {1, 64, 64, 3};
      long[] promptShape = Arrays.stream(tfl.input("prompt").shape()).asLongStream().toArray();
      float[] pixels = gaussian(random, pixelShape);
      float[] prompt = gaussian(random, promptShape);
      Map<String, float[]> inputs = Map.of("pixels", pixels, "prompt", prompt);
      Map<String, long[]> shapes = Map.of("pixels", pixelShape, "prompt", promptShape);
      long[] tfliteNanos = new long[RUNS];
      long[] ortNanos = new long[RUNS];
      for (int i = -WARMUP; i < RUNS; i++) {
        long start = System.nanoTime();
        float[] a = tfl.run(inputs, 1).get("features");
        long middle = System.nanoTime();
        float[] b = ort.run(inputs, shapes).get("features").values();
        long end = System.nanoTime();
        if (i >= 0) {
          tfliteNanos[i] = middle - start;
          ortNanos[i] = end - middle;
        }
        assertTrue(Parity.relativeError(a, b) <= Parity.TOLERANCE);
      }
      double tfliteMs = median(tfliteNanos) / 1e6;
      double ortMs = median(ortNanos) / 1e6;
      System.out.printf(
          "demo-vit float batch 1, median of %d after %d warm-up: TFLite 2.6.2 (1 thread, XNNPACK)"
              + " %.2f ms, ONNX Runtime 1.23.2 (intra-op 1) %.2f ms, ratio ORT/TFLite %.2f%n",
          RUNS, WARMUP, tfliteMs, ortMs, ortMs / tfliteMs);
    }
  }

  private static float[] gaussian(Random random, long[] shape) {
    float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return (sorted[sorted.length / 2] + sorted[(sorted.length - 1) / 2]) / 2.0;
  }
}
