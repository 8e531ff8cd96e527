package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.CardFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promptedge demo}: both bundles serve the embedded images through one backbone. */
class DemoCommandTest {

  @TempDir Path work;

  @Test
  void servesBothTasksWithOneBackboneInterpreter() {
    Cli cli = Cli.run("demo", "--work", work.toString(), "--threads", "1").expect(0);
    assertEquals("", cli.err());
    List<String> lines = cli.out().lines().toList();
    String out = cli.out();
    assertTrue(out.contains("bundle    shapes-detect v1 (DETECTION)"), out);
    assertTrue(out.contains("bundle    shapes-segment v1 (SEGMENTATION)"), out);
    assertTrue(out.contains("installed [shapes-detect, shapes-segment]"), out);
    for (String image : DemoCommand.IMAGES) {
      for (String task : List.of("shapes-detect", "shapes-segment")) {
        String produced = "activate " + task + " in ";
        String by = "-> " + task + " v1: ";
        assertEquals(
            1,
            lines.stream()
                .filter(l -> l.startsWith(image) && l.contains(produced) && l.contains(by))
                .count(),
            () -> image + " run by " + task + " missing:\n" + out);
      }
    }
    assertTrue(lines.contains("backbone interpreters created while serving both tasks: 1"), out);
    assertTrue(Files.exists(work.resolve("micro-shallow" + CardFile.SUFFIX)));
    assertTrue(Files.isDirectory(work.resolve("store")));
  }
}
