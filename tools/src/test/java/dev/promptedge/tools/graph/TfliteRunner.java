package dev.promptedge.tools.graph;

import dev.promptedge.runtime.tflite.TfliteNative;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * Runs a model written by the graph builders in the real TFLite 2.6.2 interpreter, one signature,
 * with the dynamic batch resized. Owns the interpreter; use with try-with-resources.
 */
final class TfliteRunner implements AutoCloseable {

  private final Interpreter interpreter;
  private final String key;

  TfliteRunner(byte[] model, String key) {
    this(model, key, false);
  }

  TfliteRunner(byte[] model, String key, boolean xnnpack) {
    TfliteNative.load();
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    this.interpreter =
        new Interpreter(buffer, new Interpreter.Options().setNumThreads(1).setUseXNNPACK(xnnpack));
    this.key = key;
  }

  Interpreter interpreter() {
    return interpreter;
  }

  /** Resizes every named input's batch to {@code batch}, runs, returns output {@code output}. */
  float[] run(Map<String, float[]> inputs, String output, int batch) {
    for (String name : inputs.keySet()) {
      Tensor tensor = interpreter.getInputTensorFromSignature(name, key);
      int[] shape = tensor.shapeSignature();
      shape[0] = batch;
      interpreter.resizeInput(inputIndex(tensor), shape);
    }
    interpreter.allocateTensors();
    Map<String, Object> feeds = new LinkedHashMap<>();
    inputs.forEach((name, values) -> feeds.put(name, direct(values)));
    int bytes = interpreter.getOutputTensorFromSignature(output, key).numBytes();
    ByteBuffer result = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put(output, result);
    interpreter.runSignature(feeds, outputs, key);
    result.rewind();
    float[] values = new float[bytes / 4];
    result.asFloatBuffer().get(values);
    return values;
  }

  private int inputIndex(Tensor tensor) {
    for (int i = 0; i < interpreter.getInputTensorCount(); i++) {
      if (interpreter.getInputTensor(i).index() == tensor.index()) {
        return i;
      }
    }
    throw new IllegalStateException("Signature input " + tensor.name() + " is no graph input");
  }

  private static ByteBuffer direct(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    buffer.asFloatBuffer().put(values);
    return buffer;
  }

  @Override
  public void close() {
    interpreter.close();
  }
}
