package dev.promptedge.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every measurement once on both engines, in-process with tiny iteration counts on the micro
 * backbone (the daemons and the baselines as real processes), and checks that the report has every
 * row for TFLite and ONNX Runtime, the goals side by side, and every plot. Asserts the shape of the
 * report, never the timings.
 */
class ReportSmokeTest {

  private static final List<String> ENGINES = List.of("tflite", "onnxruntime");

  @TempDir Path dir;

  @Test
  void quickRunWritesEveryRowOnBothEnginesAndPlot() throws Exception {
    Path out = dir.resolve("results");
    Path report =
        Report.run(new Report.Options(Optional.empty(), dir.resolve("work"), out, true, "smoke"));
    String md = Files.readString(report);
    for (String engine : ENGINES) {
      for (String row :
          List.of(
              "| 1 | %s | Swap p50",
              "| 1 | %s | Swap p99",
              "| 1 | %s | Swap acknowledged durable p50",
              "| 2 | %s | Cold install",
              "| 3 | %s | Inference, raw ",
              "| 3 | %s | Inference, raw, faster of 1 and 2 threads: int8 on this engine vs float",
              "| 3 | %s | Inference, int8",
              "| 3 | %s | Runtime overhead (int8",
              "| 3 | %s | Runtime overhead, worst",
              "| 3 | %s | `TaskEngine.infer`",
              "| 2 | %s | Cold install p50 with the store on tmpfs",
              "| 4 | %s | Mixed batch of 4",
              "| 5 | %s | Daemon RSS, 10 installed tasks vs 1",
              "| 5 | %s | 10 baked task models",
              "| 6 | %s | Largest signed bundle",
              "| 7 | %s | Micro ViT")) {
        assertTrue(md.contains(row.formatted(engine)), "report lacks '" + row.formatted(engine));
      }
    }
    for (String row :
        List.of(
            "| 3 | tflite | Inference, int8, 2 threads: XNNPACK on vs off",
            "| 3 | tflite | Inference, float, 2 threads: XNNPACK on vs off",
            "| 5 | onnxruntime | Daemon RSS, 10 installed tasks vs 1 (`promptedged`, int8, `engine:"
                + " onnxruntime`")) {
      assertTrue(md.contains(row), "report lacks row '" + row + "':\n" + md);
    }
    long tableRows =
        md.lines().filter(l -> l.matches("\\| \\d \\| (tflite|onnxruntime) \\| .*")).count();
    assertEquals(34, tableRows, md);
    long goalRows =
        md.lines()
            .filter(
                l -> l.matches("\\| \\d \\| [^|]+ \\| [^|]+ \\| [^|]+: [^|]+ \\| [^|]+: .* \\|"))
            .count();
    assertEquals(10, goalRows, md);
    long matrixRows =
        md.lines()
            .filter(l -> l.matches("\\| (tflite|onnxruntime) \\| (int8|float) \\| [12] \\| .*"))
            .count();
    assertEquals(12, matrixRows, md);
    long loadRows =
        md.lines()
            .filter(l -> l.matches("\\| (tflite|onnxruntime) \\| [12] \\| [02] \\| .*"))
            .count();
    assertEquals(8, loadRows, md);
    assertTrue(md.contains("JVM: ") && md.contains("CPU ") && md.contains("cores"), md);
    assertTrue(md.contains("- load average at the end: "), md);
    for (String png : List.of("swap.png", "inference.png", "memory.png", "load.png")) {
      assertTrue(Files.size(out.resolve(png)) > 1000, png);
    }
  }
}
