package dev.promptedge.runtime.engine;

import java.nio.ByteBuffer;

/** TensorFlow Lite 2.6.2 through its JNI library: a {@link SignatureRunner} per session. */
final class TfliteEngine implements Engine {

  static final TfliteEngine INSTANCE = new TfliteEngine();

  private TfliteEngine() {}

  @Override
  public EngineKind kind() {
    return EngineKind.TFLITE;
  }

  @Override
  public Session open(ByteBuffer model, String signature, InterpreterConfig config) {
    return SignatureRunner.open(model, signature, config);
  }

  @Override
  public long sessionsOpened(String signature) {
    return SignatureRunner.interpretersCreated(signature);
  }
}
