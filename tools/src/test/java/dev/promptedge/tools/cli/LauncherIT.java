package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real launcher {@code bin/promptedge} as a separate process against the packaged jar.
 *
 * <p>Decision: an integration test (failsafe, phase {@code integration-test}) rather than a unit
 * test, because surefire's {@code test} phase runs before {@code package} writes the jar and {@code
 * lib/} the launcher needs; in {@code ./mvnw verify} (and so in {@code .ci/run}) it runs on the jar
 * just packaged. Run without that jar (from an IDE after a clean, say), it is skipped by an
 * assumption whose message says so, never passed silently.
 */
class LauncherIT {

  @Test
  void helpRunsThroughTheLauncher() throws Exception {
    Launched run = launch("--help");
    assertEquals(0, run.exit(), run::toString);
    assertTrue(run.out().startsWith("Usage: promptedge "), run.out());
    assertTrue(
        run.out().contains("backbone")
            && run.out().contains("bundle")
            && run.out().contains("demo"),
        run.out());
    assertEquals("", run.err());
  }

  /** The launcher's classpath carries ONNX Runtime, not only the tests' classpath. */
  @Test
  void theDemoRunsOnOnnxRuntimeThroughTheLauncher(@TempDir Path work) throws Exception {
    Launched run = launch("demo", "--engine", "onnxruntime", "--work", work.toString());
    assertEquals(0, run.exit(), run::toString);
    assertTrue(run.out().contains("nanodet-g-128 (int8 on onnxruntime)"), run.out());
    assertTrue(
        run.out().contains("backbone sessions opened while serving both tasks: 1"), run.out());
  }

  /** What a launched command printed and how it exited. */
  record Launched(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private static Launched launch(String... args) throws Exception {
    Path root = repositoryRoot();
    Path launcher = root.resolve("bin/promptedge");
    Path jar = jar(root.resolve("tools/target"));
    Assumptions.assumeTrue(
        jar != null && Files.isDirectory(root.resolve("tools/target/lib")),
        "skipped: no tools/target/promptedge-tools-*.jar and lib/ yet; the launcher test runs"
            + " after 'package' (./mvnw -B -ntp verify)");
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    // The launcher runs 'java' from PATH: put this JVM's first so both agree on the version.
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    builder.environment().merge("PATH", javaBin, (old, add) -> add + File.pathSeparator + old);
    Process process = builder.start();
    process.getOutputStream().close();
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "launcher did not finish in 120 s");
    return new Launched(process.exitValue(), out, new String(err.get(), StandardCharsets.UTF_8));
  }

  private static byte[] readAll(java.io.InputStream in) {
    try {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path jar(Path target) throws Exception {
    if (!Files.isDirectory(target)) {
      return null;
    }
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().matches("promptedge-tools-.*\\.jar"))
          .findFirst()
          .orElse(null);
    }
  }

  /** The repository root: the nearest parent of the working directory holding bin/promptedge. */
  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("bin/promptedge"))) {
        return p;
      }
    }
    throw new AssertionError("no bin/promptedge above " + Path.of("").toAbsolutePath());
  }
}
