package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that parses but cannot do its job exits 1 with one line on stderr: the command's name,
 * {@code error:}, and what was wrong with which file. No stack trace.
 */
class ExecutionErrorTest {

  @TempDir Path dir;

  private static String executionError(String command, String... args) {
    Cli cli = Cli.run(args).expect(1);
    String line = cli.oneErrorLine();
    assertTrue(line.startsWith(command + ": error: "), line);
    assertFalse(cli.err().contains("\tat "), "no stack trace");
    return line;
  }

  private static void assertContains(String line, String... parts) {
    for (String part : parts) {
      assertTrue(line.contains(part), () -> "'" + part + "' missing from: " + line);
    }
  }

  @Test
  void missingCardFile() {
    Path card = dir.resolve("nowhere.card.textproto");
    String line =
        executionError(
            "promptedge bundle pack",
            "bundle",
            "pack",
            "--backbone",
            card.toString(),
            "--task",
            "detection",
            "--name",
            "a",
            "--labels",
            "x,y",
            "--out",
            dir.resolve("a.bundle").toString());
    assertContains(line, card.toString(), "does not exist");
    assertFalse(Files.exists(dir.resolve("a.bundle")), "nothing written");
  }

  @Test
  void missingBundleFile() {
    Path bundle = dir.resolve("nothing.bundle");
    String line =
        executionError("promptedge bundle inspect", "bundle", "inspect", bundle.toString());
    assertEquals("promptedge bundle inspect: error: no such file: " + bundle, line);
  }

  @Test
  void garbageBundleFile() throws Exception {
    Path bundle = dir.resolve("garbage.bundle");
    byte[] noise = new byte[300];
    new Random(3).nextBytes(noise);
    Files.write(bundle, noise);
    String line =
        executionError("promptedge bundle inspect", "bundle", "inspect", bundle.toString());
    assertContains(line, bundle.toString(), "not a valid prompt bundle", "[corrupt]");
  }

  @Test
  void emptyBundleFile() throws Exception {
    Path bundle = Files.createFile(dir.resolve("empty.bundle"));
    String line =
        executionError("promptedge bundle inspect", "bundle", "inspect", bundle.toString());
    assertContains(line, bundle.toString(), "[corrupt]");
  }

  @Test
  void cardThatIsNotACard() throws Exception {
    Path card = Files.writeString(dir.resolve("bad.card.textproto"), "input_height: \"tall\"\n");
    String line =
        executionError(
            "promptedge bundle pack",
            "bundle",
            "pack",
            "--backbone",
            card.toString(),
            "--task",
            "segmentation",
            "--name",
            "a",
            "--labels",
            "x,y",
            "--out",
            dir.resolve("a.bundle").toString());
    assertContains(line, card.toString(), "is not a BackboneCard text proto");
  }

  @Test
  void invalidArchitectureNamesBothNumbers() {
    String line =
        executionError(
            "promptedge backbone build",
            "backbone",
            "build",
            "--out",
            dir.toString(),
            "--input",
            "30",
            "--patch",
            "8");
    assertContains(line, "30", "patchSize 8", "not divisible");
    assertFalse(Files.exists(dir.resolve("micro-shallow.tflite")), "nothing written");
  }

  @Test
  void headsThatDoNotDivideTheWidth() {
    String line =
        executionError(
            "promptedge backbone build",
            "backbone",
            "build",
            "--out",
            dir.toString(),
            "--dim",
            "30",
            "--heads",
            "4");
    assertContains(line, "embedDim 30", "heads 4");
  }
}
