package dev.promptedge.tools.daemon;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An aarch64 java launcher run by user-mode qemu on this host: Debian's {@code qemu-user-static}
 * and {@code openjdk-17-jre-headless:arm64}, called explicitly so that no binfmt_misc registration
 * is needed. The system properties {@value #QEMU_PROPERTY} and {@value #JAVA_PROPERTY} override the
 * default paths.
 *
 * @param qemu the {@code qemu-aarch64-static} binary
 * @param java the aarch64 {@code bin/java}
 */
record Aarch64Java(Path qemu, Path java) {

  static final String QEMU_PROPERTY = "promptedge.qemu";
  static final String JAVA_PROPERTY = "promptedge.arm64.java";
  static final Path DEFAULT_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-arm64/bin/java");

  /** The emulated launcher, or a failed JUnit assumption naming the package that is missing. */
  static Aarch64Java assumeInstalled() {
    Optional<Path> qemu =
        Optional.ofNullable(System.getProperty(QEMU_PROPERTY))
            .map(Path::of)
            .or(() -> onPath("qemu-aarch64-static"))
            .filter(Files::isExecutable);
    assumeTrue(
        qemu.isPresent(),
        "qemu-aarch64-static is not installed (apt-get install qemu-user-static, or -D"
            + QEMU_PROPERTY
            + "=PATH)");
    Path java = Path.of(System.getProperty(JAVA_PROPERTY, DEFAULT_JAVA.toString()));
    assumeTrue(
        Files.isExecutable(java),
        "no aarch64 JVM at "
            + java
            + " (dpkg --add-architecture arm64 && apt-get update && apt-get install"
            + " openjdk-17-jre-headless:arm64, or -D"
            + JAVA_PROPERTY
            + "=PATH)");
    return new Aarch64Java(qemu.get(), java);
  }

  /** The command prefix that starts the aarch64 JVM; the host's root holds its arm64 libraries. */
  List<String> launcher() {
    return List.of(qemu.toString(), "-L", "/", java.toString());
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
