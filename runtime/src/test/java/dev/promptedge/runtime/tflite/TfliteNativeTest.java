package dev.promptedge.runtime.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.TensorFlowLite;

class TfliteNativeTest {

  @TempDir Path cache;

  private TfliteNativeTest.HostBuilder host() {
    return new HostBuilder(cache);
  }

  @Test
  void armBoardWithoutLibraryNamesTheSetting() {
    var error =
        assertThrows(
            IllegalStateException.class,
            () ->
                TfliteNative.locate(
                    Optional.empty(), host().arch("aarch64").build(), getClass().getClassLoader()));
    assertTrue(error.getMessage().contains("linux-aarch64"), error.getMessage());
    assertTrue(error.getMessage().contains("interpreter.tflite_jni_library"), error.getMessage());
    assertTrue(error.getMessage().contains("-Dpromptedge.tflite.jni"), error.getMessage());
  }

  @Test
  void explicitPathThatDoesNotExistNamesThePathAndTheSetting() {
    Path missing = cache.resolve("nowhere/libtensorflowlite_jni.so");
    var error =
        assertThrows(
            IllegalStateException.class,
            () ->
                TfliteNative.locate(
                    Optional.of(missing), host().build(), getClass().getClassLoader()));
    assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("interpreter.tflite_jni_library"), error.getMessage());
  }

  @Test
  void systemPropertyPathIsUsedWhenNoProfilePathIsGiven() throws Exception {
    Path lib = Files.writeString(cache.resolve("custom.so"), "not really a library");
    Path found =
        TfliteNative.locate(
            Optional.empty(),
            host().arch("aarch64").property(lib.toString()).build(),
            getClass().getClassLoader());
    assertEquals(lib, found);
  }

  @Test
  void bundledLibraryIsCopiedOnceIntoAVersionedCache() throws Exception {
    Path first = TfliteNative.locate(Optional.empty(), host().build(), getClass().getClassLoader());
    assertEquals(cache.resolve("tflite-2.6.2-linux-x86_64/libtensorflowlite_jni.so"), first);
    long modified = Files.getLastModifiedTime(first).toMillis();
    Path second =
        TfliteNative.locate(Optional.empty(), host().build(), getClass().getClassLoader());
    assertEquals(first, second);
    assertEquals(modified, Files.getLastModifiedTime(second).toMillis());
  }

  @Test
  void damagedCacheCopyIsReplaced() throws Exception {
    Path dir = Files.createDirectories(cache.resolve("tflite-2.6.2-linux-x86_64"));
    Files.writeString(dir.resolve("libtensorflowlite_jni.so"), "truncated");
    Path found = TfliteNative.locate(Optional.empty(), host().build(), getClass().getClassLoader());
    assertTrue(Files.size(found) > 1_000_000, "the cached copy was not replaced");
  }

  @Test
  void loadedLibraryReportsTfliteVersion() {
    TfliteNative.load();
    assertEquals("2.6.2", TensorFlowLite.runtimeVersion());
  }

  /** Builds {@link TfliteNative.Host} values for a linux x86_64 machine, with overrides. */
  static final class HostBuilder {
    private final Path cacheDir;
    private String arch = "amd64";
    private Optional<String> property = Optional.empty();

    HostBuilder(Path cacheDir) {
      this.cacheDir = cacheDir;
    }

    HostBuilder arch(String value) {
      arch = value;
      return this;
    }

    HostBuilder property(String value) {
      property = Optional.of(value);
      return this;
    }

    TfliteNative.Host build() {
      return new TfliteNative.Host("Linux", arch, property, cacheDir);
    }
  }
}
