package dev.promptedge.runtime.engine;

import dev.promptedge.runtime.tflite.TfliteNative;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Which engine runs the models: TFLite, ONNX Runtime, or TFLite where its JNI library loads. */
public enum EngineKind {
  TFLITE,
  ONNXRUNTIME,
  AUTO;

  /** Parses {@code tflite}, {@code onnxruntime} or {@code auto} (any case; blank is auto). */
  public static EngineKind parse(String name) {
    if (name == null || name.isBlank()) {
      return AUTO;
    }
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "tflite" -> TFLITE;
      case "onnxruntime", "ort", "onnx" -> ONNXRUNTIME;
      case "auto" -> AUTO;
      default ->
          throw new IllegalArgumentException(
              "unknown engine '" + name + "': use tflite, onnxruntime or auto");
    };
  }

  /**
   * The concrete engine: this one, or for {@link #AUTO} TFLite when its JNI library can be found
   * for this os/arch (through {@code jniLibrary} or the jar), else ONNX Runtime.
   */
  public EngineKind resolve(Optional<Path> jniLibrary) {
    if (this != AUTO) {
      return this;
    }
    return TfliteNative.available(jniLibrary) ? TFLITE : ONNXRUNTIME;
  }

  /** The lower-case name used in profiles and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
