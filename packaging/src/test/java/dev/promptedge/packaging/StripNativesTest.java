package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StripNatives on a jar laid out as ONNX Runtime's: one platform's natives stay, all else too. */
class StripNativesTest {

  @TempDir Path dir;

  private Path jar(Map<String, String> entries) throws Exception {
    Path jar = dir.resolve("in.jar");
    try (OutputStream raw = Files.newOutputStream(jar);
        ZipOutputStream out = new ZipOutputStream(raw)) {
      for (var e : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(e.getKey()));
        out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }

  private static Map<String, String> ortLayout() {
    Map<String, String> m = new TreeMap<>();
    m.put("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n");
    m.put("ai/onnxruntime/OrtEnvironment.class", "class bytes");
    m.put("ai/onnxruntime/native/", "");
    m.put("ai/onnxruntime/native/linux-x64/", "");
    m.put("ai/onnxruntime/native/linux-x64/libonnxruntime.so", "x64 elf");
    m.put("ai/onnxruntime/native/linux-aarch64/", "");
    m.put("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so", "aarch64 elf");
    m.put("ai/onnxruntime/native/linux-aarch64/libonnxruntime4j_jni.so", "aarch64 jni");
    m.put("ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib", "mach-o");
    m.put("ai/onnxruntime/native/osx-aarch64/x.dSYM/Contents/Info.plist", "plist");
    return m;
  }

  private static List<String> names(Path jar) throws Exception {
    List<String> names = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }

  @Test
  void keepsOnePlatformsNativesAndEverythingElse() throws Exception {
    Path in = jar(ortLayout());
    Path out = dir.resolve("lib/out.jar");
    StripNatives.Result r = StripNatives.strip(in, out, "linux-aarch64");
    assertEquals(
        List.of(
            "META-INF/MANIFEST.MF",
            "ai/onnxruntime/OrtEnvironment.class",
            "ai/onnxruntime/native/",
            "ai/onnxruntime/native/linux-aarch64/",
            "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
            "ai/onnxruntime/native/linux-aarch64/libonnxruntime4j_jni.so"),
        names(out));
    assertEquals(10, r.entriesIn());
    assertEquals(6, r.entriesOut());
    assertEquals(Files.size(out), r.bytesOut());
    try (ZipFile zip = new ZipFile(out.toFile())) {
      assertArrayEquals(
          "aarch64 elf".getBytes(StandardCharsets.UTF_8),
          zip.getInputStream(zip.getEntry("ai/onnxruntime/native/linux-aarch64/libonnxruntime.so"))
              .readAllBytes());
    }
  }

  @Test
  void aPlatformTheJarLacksIsRefusedNamingThoseItHas() throws Exception {
    Path in = jar(ortLayout());
    Path out = dir.resolve("out.jar");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> StripNatives.strip(in, out, "linux-armv7"));
    assertTrue(e.getMessage().contains("no natives for 'linux-armv7'"), e.getMessage());
    assertTrue(e.getMessage().contains("[linux-aarch64, linux-x64, osx-aarch64]"), e.getMessage());
    assertFalse(Files.exists(out), "nothing written");
    assertFalse(Files.exists(dir.resolve("out.jar.tmp")), "no temporary file left");
  }

  @Test
  void aPlatformWithASlashIsRefused() throws Exception {
    Path in = jar(ortLayout());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> StripNatives.strip(in, dir.resolve("o.jar"), "../linux-x64"));
    assertTrue(e.getMessage().contains("not a folder name"), e.getMessage());
  }
}
