package dev.promptedge.runtime.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ONNX Runtime: one {@link ai.onnxruntime.OrtSession} per session over the process-wide {@link
 * OrtEnvironment}, with the settings of {@link OrtSessions}.
 */
final class OrtEngine implements Engine {

  static final OrtEngine INSTANCE = new OrtEngine();

  private final Map<String, AtomicLong> opened = new ConcurrentHashMap<>();

  private OrtEngine() {}

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
    try {
      Session session = OrtSignatureSession.open(env, OrtSessions.create(bytes, config), signature);
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
