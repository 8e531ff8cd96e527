package dev.promptedge.runtime.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ONNX Runtime: one {@link OrtSession} per session over the process-wide {@link OrtEnvironment},
 * {@code config.threads()} intra-op threads, one inter-op thread, all graph optimizations.
 */
final class OrtEngine implements Engine {

  static final OrtEngine INSTANCE = new OrtEngine();

  private final Map<String, AtomicLong> opened = new ConcurrentHashMap<>();

  private OrtEngine() {}

  /** ONNX Runtime session option that turns its double-QDQ-pair remover off. */
  static final String DISABLE_DOUBLE_QDQ_REMOVER = "session.disable_double_qdq_remover";

  @Override
  public EngineKind kind() {
    return EngineKind.ONNXRUNTIME;
  }

  @Override
  public Session open(ByteBuffer model, String signature, InterpreterConfig config) {
    ByteBuffer copy = model.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(config.threads());
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      // The remover merges Q→DQ→Q→DQ chains (a requantization) into one rounding, unlike TFLite,
      // and writes rank-1 scales that then fail the QLinearAveragePool fusion at load time.
      options.addConfigEntry(DISABLE_DOUBLE_QDQ_REMOVER, "1");
      Session session = OrtSignatureSession.open(env, env.createSession(bytes, options), signature);
      opened.computeIfAbsent(signature, k -> new AtomicLong()).incrementAndGet();
      return session;
    } catch (OrtException e) {
      throw new IllegalArgumentException(
          "ONNX Runtime refused the model for signature '" + signature + "': " + e.getMessage(), e);
    }
  }

  @Override
  public long sessionsOpened(String signature) {
    AtomicLong count = opened.get(signature);
    return count == null ? 0 : count.get();
  }
}
