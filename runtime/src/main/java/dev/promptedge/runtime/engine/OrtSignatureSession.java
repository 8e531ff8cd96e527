package dev.promptedge.runtime.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.DataType;

/** One {@link OrtSession}: the graph's inputs and outputs are the signature's, float32 each. */
final class OrtSignatureSession implements Session {

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String key;
  private final Map<String, long[]> inputShapes = new LinkedHashMap<>();
  private final Map<String, TensorSpec> inputs = new LinkedHashMap<>();
  private final Map<String, TensorSpec> outputs = new LinkedHashMap<>();
  private boolean closed;

  private OrtSignatureSession(OrtEnvironment env, OrtSession session, String key)
      throws OrtException {
    this.env = env;
    this.session = session;
    this.key = key;
    for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
      TensorInfo info = floatTensor(e.getKey(), e.getValue());
      inputShapes.put(e.getKey(), info.getShape());
      inputs.put(e.getKey(), spec(e.getKey(), info.getShape()));
    }
    for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
      outputs.put(e.getKey(), spec(e.getKey(), floatTensor(e.getKey(), e.getValue()).getShape()));
    }
  }

  /** Wraps {@code session}; closes it when the graph's inputs or outputs are not float tensors. */
  static OrtSignatureSession open(OrtEnvironment env, OrtSession session, String key)
      throws OrtException {
    try {
      return new OrtSignatureSession(env, session, key);
    } catch (RuntimeException | OrtException e) {
      session.close();
      throw e;
    }
  }

  private TensorInfo floatTensor(String name, NodeInfo node) {
    if (!(node.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' of signature '" + key + "' is not FLOAT32: " + node.getInfo());
    }
    return info;
  }

  /** Current shape with dynamic dimensions at 1 (as TFLite reports before a resize). */
  private static TensorSpec spec(String name, long[] declared) {
    int[] signature = new int[declared.length];
    int[] shape = new int[declared.length];
    for (int i = 0; i < declared.length; i++) {
      signature[i] = (int) declared[i];
      shape[i] = declared[i] < 0 ? 1 : (int) declared[i];
    }
    return new TensorSpec(name, DataType.FLOAT32, shape, signature);
  }

  @Override
  public List<String> inputNames() {
    return List.copyOf(inputs.keySet());
  }

  @Override
  public List<String> outputNames() {
    return List.copyOf(outputs.keySet());
  }

  @Override
  public TensorSpec input(String name) {
    return lookup(inputs, name);
  }

  @Override
  public TensorSpec output(String name) {
    return lookup(outputs, name);
  }

  private TensorSpec lookup(Map<String, TensorSpec> specs, String name) {
    ensureOpen();
    TensorSpec spec = specs.get(name);
    if (spec == null) {
      throw new IllegalArgumentException(
          "signature '" + key + "' has no tensor '" + name + "' (it has " + specs.keySet() + ")");
    }
    return spec;
  }

  @Override
  public Map<String, float[]> run(Map<String, float[]> values, int batch) {
    ensureOpen();
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
        long[] shape = shapeFor(e.getKey(), e.getValue(), batch);
        long count = 1;
        for (long d : shape) {
          count *= d;
        }
        float[] given = values.get(e.getKey());
        if (given == null || given.length != count) {
          throw new IllegalArgumentException(
              "input '"
                  + e.getKey()
                  + "' needs "
                  + count
                  + " floats for batch "
                  + batch
                  + ", got "
                  + (given == null ? "none" : given.length));
        }
        feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(given), shape));
      }
      Map<String, float[]> results = new HashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> e : result) {
          FloatBuffer buffer = ((OnnxTensor) e.getValue()).getFloatBuffer();
          float[] out = new float[buffer.remaining()];
          buffer.get(out);
          results.put(e.getKey(), out);
        }
      }
      return results;
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to run signature '" + key + "': " + e.getMessage(), e);
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  private static long[] shapeFor(String name, long[] declared, int batch) {
    long[] shape = declared.clone();
    if (shape.length == 0) {
      return shape;
    }
    if (shape[0] >= 0 && shape[0] != batch) {
      throw new IllegalArgumentException(
          "model input '"
              + name
              + "' has a fixed batch of "
              + shape[0]
              + "; run it with batch "
              + shape[0]);
    }
    shape[0] = batch;
    for (int i = 1; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException(
            "model input '" + name + "' has a dynamic dimension " + i + " beyond the batch");
      }
    }
    return shape;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("ONNX Runtime session for signature '" + key + "' is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("could not close the ONNX Runtime session", e);
      }
    }
  }
}
