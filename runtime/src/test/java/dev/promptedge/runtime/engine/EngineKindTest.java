package dev.promptedge.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineKindTest {

  @Test
  void parsesProfileAndCommandLineNames() {
    assertEquals(EngineKind.TFLITE, EngineKind.parse("tflite"));
    assertEquals(EngineKind.ONNXRUNTIME, EngineKind.parse("OnnxRuntime"));
    assertEquals(EngineKind.AUTO, EngineKind.parse(""));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> EngineKind.parse("tensorrt"));
    assertTrue(e.getMessage().contains("tflite, onnxruntime or auto"), e.getMessage());
  }

  @Test
  void autoPicksTfliteWhereTheJarCarriesItsLibrary() {
    assertEquals(EngineKind.TFLITE, EngineKind.AUTO.resolve(Optional.empty()));
    assertEquals(
        EngineKind.TFLITE,
        Engine.of(InterpreterConfig.defaults().withEngine(EngineKind.AUTO)).kind());
  }

  @Test
  void autoFallsBackToOnnxRuntimeWhenTheLibraryIsMissing(@TempDir Path dir) throws Exception {
    // Once loaded in this JVM the library stays usable, whatever path a profile names.
    assumeFalse(
        Files.readString(Path.of("/proc/self/maps")).contains("libtensorflowlite_jni"),
        "TFLite is loaded in this JVM already");
    Optional<Path> missing = Optional.of(dir.resolve("libtensorflowlite_jni.so"));
    assertEquals(EngineKind.ONNXRUNTIME, EngineKind.AUTO.resolve(missing));
    assertEquals(EngineKind.TFLITE, EngineKind.TFLITE.resolve(missing));
  }
}
