package dev.promptedge.runtime.tflite;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads the TensorFlow Lite 2.6.2 JNI library once per JVM, before the first {@code Interpreter}.
 *
 * <p>Order: an explicit path (the profile's {@code interpreter.tflite_jni_library}, or the system
 * property {@value #PATH_PROPERTY}) → the library inside the runtime jar for this os/arch, copied
 * once into a versioned cache directory → an {@link IllegalStateException} naming the setting.
 * Thread-safe.
 */
public final class TfliteNative {

  /** System property that names the JNI library file, overriding the copy inside the jar. */
  public static final String PATH_PROPERTY = "promptedge.tflite.jni";

  /** System property that names the cache directory the bundled library is copied into. */
  public static final String CACHE_PROPERTY = "promptedge.cache.dir";

  static final String TFLITE_VERSION = "2.6.2";
  static final String LIBRARY_FILE = "libtensorflowlite_jni.so";
  static final String BUNDLED_RESOURCE = "native/lib/" + LIBRARY_FILE;
  static final String SETTING = "interpreter.tflite_jni_library";

  private static Path loaded;

  private TfliteNative() {}

  /** Loads the library with no explicit path: the system property, then the jar's copy. */
  public static synchronized Path load() {
    return load(Optional.empty());
  }

  /**
   * Loads the library, preferring {@code explicitPath} when present; later calls return the path
   * loaded first.
   */
  public static synchronized Path load(Optional<Path> explicitPath) {
    if (loaded == null) {
      Path path = locate(explicitPath, systemProperties(), TfliteNative.class.getClassLoader());
      System.load(path.toAbsolutePath().toString());
      loaded = path;
    }
    return loaded;
  }

  /**
   * Whether the library is loaded already or can be found for this os/arch (through {@code
   * explicitPath}, the system property or the jar), without loading it.
   */
  public static synchronized boolean available(Optional<Path> explicitPath) {
    if (loaded != null) {
      return true;
    }
    try {
      locate(explicitPath, systemProperties(), TfliteNative.class.getClassLoader());
      return true;
    } catch (IllegalStateException | UncheckedIOException e) {
      return false;
    }
  }

  /** Host facts the loader depends on, injectable so that every branch can be tested. */
  record Host(String os, String arch, Optional<String> propertyPath, Path cacheDir) {}

  static Host systemProperties() {
    String cache = System.getProperty(CACHE_PROPERTY);
    Path cacheDir =
        cache != null
            ? Path.of(cache)
            : Path.of(System.getProperty("user.home"), ".cache", "promptedge");
    return new Host(
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        Optional.ofNullable(System.getProperty(PATH_PROPERTY)).filter(s -> !s.isBlank()),
        cacheDir);
  }

  /** Finds (and, for the jar's copy, extracts) the library file without loading it. */
  static Path locate(Optional<Path> explicitPath, Host host, ClassLoader loader) {
    Optional<Path> explicit = explicitPath.or(() -> host.propertyPath().map(Path::of));
    if (explicit.isPresent()) {
      Path path = explicit.get();
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            "TensorFlow Lite JNI library not found at "
                + path
                + " (set by "
                + SETTING
                + " in the device profile or -D"
                + PATH_PROPERTY
                + "): point it at a "
                + LIBRARY_FILE
                + " built from TensorFlow Lite "
                + TFLITE_VERSION
                + " for this board.");
      }
      return path;
    }
    String platform = platform(host.os(), host.arch());
    if (!"linux-x86_64".equals(platform)) {
      throw new IllegalStateException(missingMessage(platform));
    }
    try (InputStream in = loader.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(missingMessage(platform));
      }
      return extract(in, host.cacheDir().resolve("tflite-" + TFLITE_VERSION + "-" + platform));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not copy the bundled TensorFlow Lite JNI library into " + host.cacheDir(), e);
    }
  }

  static String missingMessage(String platform) {
    return "No TensorFlow Lite JNI library for "
        + platform
        + " in the runtime jar: set "
        + SETTING
        + " in the device profile (or -D"
        + PATH_PROPERTY
        + "=PATH) to a "
        + LIBRARY_FILE
        + " built from TensorFlow Lite "
        + TFLITE_VERSION
        + " for this board.";
  }

  static String platform(String os, String arch) {
    String osName = os.toLowerCase(Locale.ROOT).startsWith("linux") ? "linux" : os;
    String archName =
        switch (arch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64" -> "x86_64";
          case "aarch64", "arm64" -> "aarch64";
          case "arm", "armv7l", "armhf" -> "armv7";
          default -> arch;
        };
    return osName + "-" + archName;
  }

  /** Copies the library into {@code dir} unless an identical copy is there already. */
  private static Path extract(InputStream in, Path dir) throws IOException {
    byte[] bytes = in.readAllBytes();
    Path target = dir.resolve(LIBRARY_FILE);
    if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return target;
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, LIBRARY_FILE, ".tmp");
    try {
      Files.write(temp, bytes);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return target;
  }
}
