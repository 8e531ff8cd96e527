package dev.promptedge.runtime.engine;

import dev.promptedge.runtime.tflite.TfliteNative;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Interpreter;
import org.tensorflow.lite.Tensor;

/**
 * One TFLite interpreter bound to one signature, run with float32 arrays whose first dimension is
 * the batch. Not thread-safe: its owner serializes calls. Close it to free the native interpreter;
 * {@code close()} is idempotent and every other method fails once closed.
 */
public final class SignatureRunner implements Session {

  private static final Map<String, AtomicLong> CREATED = new ConcurrentHashMap<>();

  private final Interpreter interpreter;
  private final String key;
  private final Map<String, Integer> inputPositions = new HashMap<>();
  private final Map<String, Integer> outputPositions = new HashMap<>();
  private final List<String> inputNames;
  private final List<String> outputNames;
  private final ByteBuffer[] inputBuffers;
  private final ByteBuffer[] outputBuffers;
  private int batch = -1;
  private boolean closed;

  private SignatureRunner(Interpreter interpreter, String key) {
    this.interpreter = interpreter;
    this.key = key;
    this.inputNames = List.of(interpreter.getSignatureInputs(key));
    this.outputNames = List.of(interpreter.getSignatureOutputs(key));
    for (String name : inputNames) {
      int index = interpreter.getInputTensorFromSignature(name, key).index();
      inputPositions.put(name, position(index, interpreter.getInputTensorCount(), true));
    }
    for (String name : outputNames) {
      int index = interpreter.getOutputTensorFromSignature(name, key).index();
      outputPositions.put(name, position(index, interpreter.getOutputTensorCount(), false));
    }
    this.inputBuffers = new ByteBuffer[interpreter.getInputTensorCount()];
    this.outputBuffers = new ByteBuffer[interpreter.getOutputTensorCount()];
  }

  private int position(int tensorIndex, int count, boolean input) {
    for (int i = 0; i < count; i++) {
      Tensor t = input ? interpreter.getInputTensor(i) : interpreter.getOutputTensor(i);
      if (t.index() == tensorIndex) {
        return i;
      }
    }
    throw new IllegalStateException(
        "signature '"
            + key
            + "' names a tensor that is not a graph "
            + (input ? "input" : "output"));
  }

  /**
   * Creates an interpreter over {@code model} (a direct or memory-mapped buffer that must stay
   * valid while the runner lives) and binds it to signature {@code key}.
   *
   * @throws IllegalArgumentException when the model has no signature {@code key}
   */
  public static SignatureRunner open(ByteBuffer model, String key, InterpreterConfig config) {
    TfliteNative.load(config.jniLibrary());
    Interpreter.Options options =
        new Interpreter.Options().setNumThreads(config.threads()).setUseXNNPACK(config.xnnpack());
    Interpreter interpreter = new Interpreter(model, options);
    CREATED.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    try {
      if (!Arrays.asList(interpreter.getSignatureDefNames()).contains(key)) {
        throw new IllegalArgumentException(
            "model has no signature '"
                + key
                + "' (it has "
                + Arrays.toString(interpreter.getSignatureDefNames())
                + ")");
      }
      return new SignatureRunner(interpreter, key);
    } catch (RuntimeException e) {
      interpreter.close();
      throw e;
    }
  }

  /**
   * Number of interpreters created in this JVM for signature {@code key}, for tests and metrics.
   */
  public static long interpretersCreated(String key) {
    AtomicLong count = CREATED.get(key);
    return count == null ? 0 : count.get();
  }

  /** The signature's input names, in the model's order. */
  @Override
  public List<String> inputNames() {
    return inputNames;
  }

  /** The signature's output names, in the model's order. */
  @Override
  public List<String> outputNames() {
    return outputNames;
  }

  /** Description of a signature input, as declared in the model (batch size as declared). */
  @Override
  public TensorSpec input(String name) {
    return spec(interpreter.getInputTensorFromSignature(checkOpen(name, inputNames), key));
  }

  /** Description of a signature output, as declared in the model (batch size as declared). */
  @Override
  public TensorSpec output(String name) {
    return spec(interpreter.getOutputTensorFromSignature(checkOpen(name, outputNames), key));
  }

  private static TensorSpec spec(Tensor t) {
    return new TensorSpec(t.name(), t.dataType(), t.shape(), t.shapeSignature());
  }

  /**
   * Runs the signature on a batch: each input array holds {@code batch} samples back to back, and
   * the result maps every output name to its batch of values.
   */
  @Override
  public Map<String, float[]> run(Map<String, float[]> inputs, int batch) {
    ensureOpen();
    resize(batch);
    Object[] feeds = new Object[inputBuffers.length];
    for (String name : inputNames) {
      float[] values = inputs.get(name);
      int position = inputPositions.get(name);
      ByteBuffer buffer = inputBuffers[position];
      if (values == null || values.length * Float.BYTES != buffer.capacity()) {
        throw new IllegalArgumentException(
            "input '"
                + name
                + "' needs "
                + buffer.capacity() / Float.BYTES
                + " floats for batch "
                + batch
                + ", got "
                + (values == null ? "none" : values.length));
      }
      buffer.clear();
      buffer.asFloatBuffer().put(values);
      feeds[position] = buffer;
    }
    Map<Integer, Object> sinks = new HashMap<>();
    for (int i = 0; i < outputBuffers.length; i++) {
      outputBuffers[i].clear();
      sinks.put(i, outputBuffers[i]);
    }
    interpreter.runForMultipleInputsOutputs(feeds, sinks);
    Map<String, float[]> results = new HashMap<>();
    for (String name : outputNames) {
      FloatBuffer out = outputBuffers[outputPositions.get(name)].rewind().asFloatBuffer();
      float[] values = new float[out.remaining()];
      out.get(values);
      results.put(name, values);
    }
    return results;
  }

  private void resize(int newBatch) {
    if (newBatch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + newBatch);
    }
    if (newBatch == batch) {
      return;
    }
    for (int i = 0; i < inputBuffers.length; i++) {
      Tensor t = interpreter.getInputTensor(i);
      requireFloat(t);
      int[] shape = t.shapeSignature().length > 0 ? t.shapeSignature().clone() : t.shape().clone();
      if (shape[0] != -1 && shape[0] != newBatch) {
        throw new IllegalArgumentException(
            "model input '"
                + t.name()
                + "' has a fixed batch of "
                + shape[0]
                + "; run it with batch "
                + shape[0]);
      }
      shape[0] = newBatch;
      interpreter.resizeInput(i, shape, true);
    }
    interpreter.allocateTensors();
    for (int i = 0; i < inputBuffers.length; i++) {
      inputBuffers[i] = direct(interpreter.getInputTensor(i).numBytes());
    }
    for (int i = 0; i < outputBuffers.length; i++) {
      Tensor t = interpreter.getOutputTensor(i);
      requireFloat(t);
      outputBuffers[i] = direct(t.numBytes());
    }
    batch = newBatch;
  }

  private static void requireFloat(Tensor t) {
    if (t.dataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "tensor '"
              + t.name()
              + "' is "
              + t.dataType()
              + "; signature inputs/outputs must be FLOAT32");
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private String checkOpen(String name, List<String> names) {
    ensureOpen();
    if (!names.contains(name)) {
      throw new IllegalArgumentException(
          "signature '" + key + "' has no tensor '" + name + "' (it has " + names + ")");
    }
    return name;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("interpreter for signature '" + key + "' is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      interpreter.close();
    }
  }
}
