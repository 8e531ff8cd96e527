package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.engine.EngineKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DaemonArgsTest {

  @Test
  void takesProfileAndEngineInEitherOrder() {
    DaemonArgs a = DaemonArgs.parse(List.of("--profile", "p.textproto", "--engine", "onnxruntime"));
    DaemonArgs b = DaemonArgs.parse(List.of("--engine", "onnxruntime", "--profile", "p.textproto"));
    assertEquals(
        new DaemonArgs(Path.of("p.textproto"), Optional.of(EngineKind.ONNXRUNTIME), false), a);
    assertEquals(a, b);
    assertEquals(Optional.empty(), DaemonArgs.parse(List.of("--profile", "p")).engine());
    assertTrue(DaemonArgs.parse(List.of("--help")).help());
  }

  @Test
  void refusesWhatItCannotRunNamingTheProblem() {
    assertEquals("--profile is required", message(List.of()));
    assertEquals("--profile is required", message(List.of("--engine", "tflite")));
    assertEquals("--engine needs a value", message(List.of("--profile", "p", "--engine")));
    assertEquals("--profile is given twice", message(List.of("--profile", "p", "--profile", "q")));
    assertEquals("unknown option '--port'", message(List.of("--profile", "p", "--port", "1")));
    assertEquals(
        "unknown engine 'tpu': use tflite, onnxruntime or auto",
        message(List.of("--profile", "p", "--engine", "tpu")));
  }

  private static String message(List<String> args) {
    return assertThrows(IllegalArgumentException.class, () -> DaemonArgs.parse(args)).getMessage();
  }
}
