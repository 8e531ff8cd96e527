package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.CardFile;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each built package read back with dpkg-deb: control fields, conffiles, the files and their modes
 * and owners, the natives' architecture (ELF headers of the jlink runtime and of the one platform
 * left in the ONNX Runtime jar), the demo backbone's hashes, and the sizes.
 */
class DebContentsIT {

  @TempDir Path dir;

  /** One line of {@code dpkg-deb -c}: mode, owner and size of a path. */
  record Entry(String mode, String owner, long size) {}

  static Map<String, Entry> listing(Path deb) throws Exception {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (String line : Commands.ok("dpkg-deb", "-c", deb.toString()).split("\n")) {
      String[] f = line.trim().split("\\s+");
      entries.put(f[5].substring(1), new Entry(f[0], f[1], Long.parseLong(f[2])));
    }
    return entries;
  }

  static String field(Path deb, String name) throws Exception {
    return Commands.ok("dpkg-deb", "-f", deb.toString(), name).strip();
  }

  /** The ELF e_machine of {@code file}: 62 x86-64, 183 aarch64. */
  static int elfMachine(byte[] head) {
    assertEquals(0x7f, head[0] & 0xff, "ELF magic");
    assertEquals('E', head[1]);
    return (head[18] & 0xff) | (head[19] & 0xff) << 8;
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"amd64", "arm64"})
  void packageHoldsItsArchitecturesRuntimeAndTheDemo(String arch) throws Exception {
    Path deb = Packages.assumeBuilt(arch);
    int machine = arch.equals("amd64") ? 62 : 183;
    String ortPlatform = arch.equals("amd64") ? "linux-x64" : "linux-aarch64";

    assertEquals("promptedge", field(deb, "Package"));
    assertEquals(arch, field(deb, "Architecture"));
    assertTrue(field(deb, "Version").startsWith("0.1.0"), field(deb, "Version"));
    String depends = field(deb, "Depends");
    for (String d : List.of("adduser", "libc6", "libstdc++6", "zlib1g", "libjpeg62-turbo")) {
      assertTrue(depends.contains(d), depends);
    }
    assertEquals(
        "/etc/promptedge/promptedged.textproto",
        Commands.ok("dpkg-deb", "-I", deb.toString(), "conffiles").strip());
    String postinst = Commands.ok("dpkg-deb", "-I", deb.toString(), "postinst");
    assertTrue(postinst.contains("adduser --system"), postinst);

    Map<String, Entry> files = listing(deb);
    for (var e : files.entrySet()) {
      assertEquals("root/root", e.getValue().owner(), e.getKey());
    }
    for (String exe :
        List.of(
            "/usr/bin/promptedged",
            "/usr/lib/promptedge/runtime/bin/java",
            "/usr/lib/promptedge/runtime/lib/jspawnhelper")) {
      assertEquals("-rwxr-xr-x", files.get(exe) == null ? null : files.get(exe).mode(), exe);
    }
    for (String f :
        List.of(
            "/usr/lib/systemd/system/promptedged.service",
            "/etc/promptedge/promptedged.textproto",
            "/usr/lib/promptedge/runtime/lib/server/libjvm.so",
            "/usr/share/promptedge/backbone/backbone.card.textproto",
            "/usr/share/promptedge/backbone/nanodet-g-128-int8.tflite",
            "/usr/share/promptedge/backbone/nanodet-g-128-int8.onnx",
            "/usr/share/promptedge/backbone/LICENSE.Apache-2.0",
            "/usr/share/promptedge/backbone/NOTICE",
            "/usr/share/promptedge/bundles/nanodet-detect.bundle",
            "/usr/share/promptedge/bundles/nanodet-segment.bundle",
            "/usr/share/promptedge/scenes/detection/000000.png",
            "/usr/share/promptedge/scenes/segmentation/000000.png",
            "/usr/share/promptedge/profiles/raspberry-pi-4.textproto")) {
      assertTrue(files.containsKey(f), f + " is missing from " + deb);
      assertEquals("-rw-r--r--", files.get(f).mode(), f);
    }
    String ortJar =
        files.keySet().stream()
            .filter(p -> p.matches("/usr/lib/promptedge/lib/onnxruntime-[0-9.]+\\.jar"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ONNX Runtime jar in " + deb));
    assertTrue(
        files.get(ortJar).size() < 12_000_000,
        "ONNX Runtime jar stripped to one platform: " + files.get(ortJar).size());
    boolean tfliteNatives =
        files.keySet().stream().anyMatch(p -> p.contains("/lib/tflite-native-cpu-"));
    assertEquals(arch.equals("amd64"), tfliteNatives, "x86 TFLite natives only in amd64");
    assertTrue(
        files.keySet().stream()
            .anyMatch(p -> p.matches("/usr/lib/promptedge/lib/promptedge-runtime-.*\\.jar")));

    Path root = Packages.extract(deb, dir.resolve("root"));
    Path runtime = root.resolve("usr/lib/promptedge/runtime");
    try (InputStream in = Files.newInputStream(runtime.resolve("bin/java"))) {
      assertEquals(machine, elfMachine(in.readNBytes(20)), "runtime/bin/java");
    }
    String release = Files.readString(runtime.resolve("release"));
    assertTrue(release.contains("JAVA_VERSION=\"17"), release);
    for (String module : List.of("java.desktop", "jdk.crypto.ec", "jdk.zipfs", "jdk.unsupported")) {
      assertTrue(release.contains(module), module + " linked: " + release);
    }
    Set<String> platforms = new TreeSet<>();
    try (ZipFile jar = new ZipFile(root.resolve(ortJar.substring(1)).toFile())) {
      jar.stream()
          .map(e -> e.getName())
          .filter(n -> n.startsWith("ai/onnxruntime/native/") && n.endsWith(".so"))
          .forEach(n -> platforms.add(n.split("/")[3]));
      try (InputStream in =
          jar.getInputStream(
              jar.getEntry("ai/onnxruntime/native/" + ortPlatform + "/libonnxruntime.so"))) {
        assertEquals(machine, elfMachine(in.readNBytes(20)), "libonnxruntime.so");
      }
      assertFalse(
          jar.stream().anyMatch(e -> e.getName().contains("osx-")), "no macOS natives left");
    }
    assertEquals(Set.of(ortPlatform), platforms);

    CardFile card =
        CardFile.read(root.resolve("usr/share/promptedge/backbone/backbone.card.textproto"));
    // The int8 forms the profile runs, byte for byte as the card records them; no float model.
    assertEquals(card.model(true).getSha256(), sha256(card.modelPath(true)));
    assertEquals(card.onnxModel(true).getSha256(), sha256(card.onnxPath(true)));
    assertFalse(Files.exists(card.modelPath(false)), "the float model is not shipped");
    long installed = Long.parseLong(field(deb, "Installed-Size"));
    System.out.printf(
        "%s: %,d bytes, Installed-Size %,d KiB, %d files; ONNX Runtime jar %,d bytes%n",
        deb.getFileName(), Files.size(deb), installed, files.size(), files.get(ortJar).size());
    assertTrue(Files.size(deb) < 60_000_000, "package size " + Files.size(deb));
  }
}
