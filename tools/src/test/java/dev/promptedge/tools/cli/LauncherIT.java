package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

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
    Path root = repositoryRoot();
    Path launcher = root.resolve("bin/promptedge");
    Path jar = jar(root.resolve("tools/target"));
    Assumptions.assumeTrue(
        jar != null && Files.isDirectory(root.resolve("tools/target/lib")),
        "skipped: no tools/target/promptedge-tools-*.jar and lib/ yet; the launcher test runs"
            + " after 'package' (./mvnw -B -ntp verify)");

    ProcessBuilder builder =
        new ProcessBuilder(launcher.toString(), "--help").redirectErrorStream(false);
    // The launcher runs 'java' from PATH: put this JVM's first so both agree on the version.
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    builder.environment().merge("PATH", javaBin, (old, add) -> add + File.pathSeparator + old);
    Process process = builder.start();
    process.getOutputStream().close();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not finish in 60 s");
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), () -> "stdout:\n" + out + "\nstderr:\n" + err);
    assertTrue(out.startsWith("Usage: promptedge "), out);
    assertTrue(out.contains("backbone") && out.contains("bundle") && out.contains("demo"), out);
    assertEquals("", err);
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
