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
 * Runs every measurement once, in-process with tiny iteration counts on the micro backbone (the
 * daemon and the baseline as real processes), and checks that the report has every row and plot.
 * Asserts the shape of the report, never the timings.
 */
class ReportSmokeTest {

  @TempDir Path dir;

  @Test
  void quickRunWritesEveryRowAndPlot() throws Exception {
    Path out = dir.resolve("results");
    Path report =
        Report.run(new Report.Options(Optional.empty(), dir.resolve("work"), out, true, "smoke"));
    String md = Files.readString(report);
    for (String row :
        List.of(
            "| 1 | Swap p50",
            "| 1 | Swap p99",
            "| 2 | Cold install",
            "| 3 | Inference, raw interpreter, 2 threads, XNNPACK: int8 vs float",
            "| 3 | Inference, int8, XNNPACK: 2 threads vs 1",
            "| 3 | Inference, int8, 2 threads: XNNPACK on vs off",
            "| 3 | Inference, float, 2 threads: XNNPACK on vs off",
            "| 3 | Runtime overhead (int8",
            "| 3 | Runtime overhead, worst",
            "| 3 | `TaskEngine.infer`",
            "| 4 | Mixed batch of 4",
            "| 5 | Daemon RSS, 10 installed tasks vs 1",
            "| 5 | 10 baked task models",
            "| 6 | Largest signed bundle",
            "| 7 | Micro ViT")) {
      assertTrue(md.contains(row), "report lacks row '" + row + "':\n" + md);
    }
    long tableRows = md.lines().filter(l -> l.matches("\\| \\d \\| (?!\\d+ \\|).*")).count();
    assertEquals(15, tableRows, md);
    long matrixRows = md.lines().filter(l -> l.matches("\\| (int8|float) \\| [12] \\| .*")).count();
    assertEquals(8, matrixRows, md);
    assertTrue(md.contains("JVM: ") && md.contains("CPU ") && md.contains("cores"), md);
    for (String png : List.of("swap.png", "inference.png", "memory.png", "load.png")) {
      assertTrue(Files.size(out.resolve(png)) > 1000, png);
    }
  }
}
