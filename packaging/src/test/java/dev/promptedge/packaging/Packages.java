package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The .deb files this module built in pre-integration-test, found in its target folder. */
final class Packages {

  static final Path DIR = Path.of(System.getProperty("promptedge.deb.dir", "target"));
  static final String ARM64_JMODS = "/usr/lib/jvm/java-17-openjdk-arm64/jmods";

  private Packages() {}

  /**
   * The package of {@code arch}, or a failed assumption saying why it was not built (its profile is
   * active only where the architecture's jmods are).
   */
  static Path assumeBuilt(String arch) throws IOException {
    assumeTrue(
        Commands.onPath("dpkg-deb").isPresent(),
        "dpkg-deb is not installed (apt-get install dpkg)");
    List<Path> found;
    try (Stream<Path> files = Files.list(DIR)) {
      found =
          files
              .filter(p -> p.getFileName().toString().matches("promptedge_.*_" + arch + "\\.deb"))
              .toList();
    }
    String jmods =
        arch.equals("arm64")
            ? ARM64_JMODS
            : Path.of(System.getProperty("java.home"), "jmods").toString();
    assumeTrue(
        !found.isEmpty(),
        "no "
            + arch
            + " package in "
            + DIR
            + ": profile deb-"
            + arch
            + " was inactive (no jmods at "
            + jmods
            + ")");
    if (found.size() > 1) {
      throw new AssertionError("more than one " + arch + " package in " + DIR + ": " + found);
    }
    return found.get(0);
  }

  /** Unpacks {@code deb}'s files into {@code dir} with dpkg-deb -x. */
  static Path extract(Path deb, Path dir) throws Exception {
    Commands.ok("dpkg-deb", "-x", deb.toString(), dir.toString());
    return dir;
  }
}
