package dev.promptedge.tools.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's committed test fixtures are what {@link RuntimeFixtures} writes today, byte for
 * byte, and no file is missing or left over: a builder or packer change that would make the
 * runtime's tests run on stale files fails here, with the command that brings them up to date.
 */
class RuntimeFixturesTest {

  /** The committed folder, seen from the tools module's directory (surefire's working dir). */
  static final Path COMMITTED =
      Path.of("..", "runtime", "src", "test", "resources", RuntimeFixtures.FOLDER);

  /** Written by hand, not by the generator. */
  static final String README = "README.md";

  @TempDir Path dir;

  @Test
  void theCommittedFixturesAreWhatTheGeneratorWritesToday() throws IOException {
    assertTrue(Files.isDirectory(COMMITTED), COMMITTED.toAbsolutePath() + " is missing");
    List<String> written = RuntimeFixtures.regenerate(dir);
    assertEquals(
        files(dir),
        files(COMMITTED).stream().filter(f -> !f.equals(README)).toList(),
        "the committed fixture files differ from the generated ones; "
            + RuntimeFixtures.REGENERATE);
    for (String file : written) {
      byte[] fresh = Files.readAllBytes(dir.resolve(file));
      byte[] committed = Files.readAllBytes(COMMITTED.resolve(file));
      assertEquals(
          sha256(fresh),
          sha256(committed),
          file + " is not what the generator writes today; " + RuntimeFixtures.REGENERATE);
    }
  }

  @Test
  void theFixturesStaySmall() throws IOException {
    long total = 0;
    for (String file : files(COMMITTED)) {
      total += Files.size(COMMITTED.resolve(file));
    }
    assertTrue(total < 340 * 1024, "the runtime's fixtures take " + total + " bytes");
  }

  private static List<String> files(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.add(root.relativize(p).toString().replace('\\', '/'));
      }
    }
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
