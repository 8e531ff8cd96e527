package dev.promptedge.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process loading the machine: {@code java ... CpuBurner N} spins N threads until its
 * standard input closes (so it never outlives the benchmark that started it).
 */
public final class CpuBurner {

  private static volatile long sink;

  private CpuBurner() {}

  /** Spins {@code args[0]} threads until standard input reaches its end. */
  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    for (int t = 0; t < n; t++) {
      Thread thread =
          new Thread(
              () -> {
                long x = 0;
                while (true) {
                  x = x * 6364136223846793005L + 1442695040888963407L;
                  if (x == 42) {
                    sink = x;
                  }
                }
              },
              "burner-" + t);
      thread.setDaemon(true);
      thread.start();
    }
    while (System.in.read() >= 0) {
      // wait for the parent to close our input
    }
    System.exit(0);
  }

  /** Starts a burner JVM with {@code threads} spinning threads on this class path. */
  static Process start(int threads) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(
            List.of(
                java.toString(),
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                CpuBurner.class.getName(),
                Integer.toString(threads)))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  /** Stops a burner started by {@link #start}. */
  static void stop(Process burner) throws InterruptedException {
    try {
      burner.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    if (!burner.waitFor(5, TimeUnit.SECONDS)) {
      burner.destroyForcibly();
      burner.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
