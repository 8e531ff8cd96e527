package dev.promptedge.runtime.engine;

import dev.promptedge.format.InterpreterSettings;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How interpreters are created: CPU threads, the XNNPACK delegate and, on boards whose jar carries
 * no JNI library, the library's path.
 *
 * @param threads CPU threads per interpreter, at least 1
 * @param xnnpack whether to use the XNNPACK delegate
 * @param jniLibrary explicit path of libtensorflowlite_jni.so, or empty for the jar's copy
 * @param engine the engine that runs the models (TFLite, ONNX Runtime, or auto)
 */
public record InterpreterConfig(
    int threads, boolean xnnpack, Optional<Path> jniLibrary, EngineKind engine) {

  public InterpreterConfig {
    if (threads < 1) {
      throw new IllegalArgumentException("interpreter threads must be at least 1, got " + threads);
    }
    if (engine == null) {
      throw new IllegalArgumentException("engine must be tflite, onnxruntime or auto, not null");
    }
  }

  /** A TFLite configuration. */
  public InterpreterConfig(int threads, boolean xnnpack, Optional<Path> jniLibrary) {
    this(threads, xnnpack, jniLibrary, EngineKind.TFLITE);
  }

  /** This configuration with {@code kind} as its engine. */
  public InterpreterConfig withEngine(EngineKind kind) {
    return new InterpreterConfig(threads, xnnpack, jniLibrary, kind);
  }

  /**
   * This configuration with one thread: how heads run, whose few small layers cost less than a
   * thread pool's wake-ups and its per-interpreter threads and buffers.
   */
  public InterpreterConfig singleThreaded() {
    return threads == 1 ? this : new InterpreterConfig(1, xnnpack, jniLibrary, engine);
  }

  /** Defaults for a development box: all cores, XNNPACK on, the jar's JNI library. */
  public static InterpreterConfig defaults() {
    return new InterpreterConfig(
        Runtime.getRuntime().availableProcessors(), true, Optional.empty());
  }

  /** The settings of a device profile; relative paths resolve against {@code profileDir}. */
  public static InterpreterConfig of(InterpreterSettings settings, Path profileDir) {
    int threads =
        settings.getThreads() == 0
            ? Runtime.getRuntime().availableProcessors()
            : settings.getThreads();
    Optional<Path> library =
        settings.getTfliteJniLibrary().isBlank()
            ? Optional.empty()
            : Optional.of(profileDir.resolve(settings.getTfliteJniLibrary()));
    EngineKind engine =
        settings.getEngine().isBlank() ? EngineKind.TFLITE : EngineKind.parse(settings.getEngine());
    return new InterpreterConfig(threads, settings.getXnnpack(), library, engine);
  }
}
