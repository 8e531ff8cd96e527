package dev.promptedge.runtime.engine;

import java.nio.ByteBuffer;

/**
 * An inference engine that opens one model form ({@code .tflite} flatbuffer for TFLite, ONNX
 * protobuf for ONNX Runtime) as a {@link Session}. Only the engine asked for loads its natives.
 */
public interface Engine {

  /** The concrete kind of this engine (never {@link EngineKind#AUTO}). */
  EngineKind kind();

  /**
   * Opens {@code model} bound to signature {@code signature}; for TFLite the buffer must be direct
   * or memory-mapped and stay valid while the session lives.
   *
   * @throws IllegalArgumentException when the model has no such signature or the engine refuses it
   */
  Session open(ByteBuffer model, String signature, InterpreterConfig config);

  /** Sessions this engine has opened in this JVM for {@code signature}, for tests and metrics. */
  long sessionsOpened(String signature);

  /** The engine for {@code config.engine()}, {@link EngineKind#AUTO} resolved for this host. */
  static Engine of(InterpreterConfig config) {
    return switch (config.engine().resolve(config.jniLibrary())) {
      case TFLITE -> TfliteEngine.INSTANCE;
      case ONNXRUNTIME -> OrtEngine.INSTANCE;
      case AUTO -> throw new IllegalStateException("AUTO resolves to a concrete engine");
    };
  }
}
