package dev.promptedge.tools.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an ONNX model in the real ONNX Runtime, one intra-op and one inter-op thread, all graph
 * optimizations but the double-QDQ remover, as the runtime's {@code OrtEngine} sets them. Owns the
 * session; use with try-with-resources.
 */
final class OrtRunner implements AutoCloseable {

  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtRunner(byte[] model) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.disable_double_qdq_remover", "1");
      session = env.createSession(model, options);
    }
  }

  OrtSession session() {
    return session;
  }

  /** Runs {@code inputs} (name → values, shape) and returns every output's values and shape. */
  Map<String, Output> run(Map<String, float[]> inputs, Map<String, long[]> shapes)
      throws OrtException {
    Map<String, OnnxTensor> feeds = new HashMap<>();
    try {
      for (Map.Entry<String, float[]> e : inputs.entrySet()) {
        feeds.put(
            e.getKey(),
            OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
      }
      Map<String, Output> outputs = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(feeds)) {
        for (Map.Entry<String, OnnxValue> e : result) {
          OnnxTensor tensor = (OnnxTensor) e.getValue();
          FloatBuffer buffer = tensor.getFloatBuffer();
          float[] values = new float[buffer.remaining()];
          buffer.get(values);
          outputs.put(e.getKey(), new Output(values, tensor.getInfo().getShape()));
        }
      }
      return outputs;
    } finally {
      feeds.values().forEach(OnnxTensor::close);
    }
  }

  /** One output's values (row-major) and shape. */
  record Output(float[] values, long[] shape) {}

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
