package dev.promptedge.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arm64 package's daemon, unpacked with dpkg-deb -x, started by the package's own aarch64 jlink
 * runtime under {@code qemu-aarch64-static} with the launcher's JVM options and the package's
 * profile (its paths moved into the unpacked tree): ready on ONNX Runtime's linux-aarch64 natives,
 * then one demo bundle installed and one demo scene inferred.
 */
class Arm64DebQemuIT {

  @TempDir Path dir;

  @Test
  void unpackedArm64DaemonGetsReadyUnderQemuAndInfers() throws Exception {
    Path deb = Packages.assumeBuilt("arm64");
    Optional<Path> qemu = Commands.onPath("qemu-aarch64-static");
    assumeTrue(
        qemu.isPresent(),
        "qemu-aarch64-static is not installed (apt-get install qemu-user-static)");
    assumeTrue(
        Files.exists(Path.of("/lib/ld-linux-aarch64.so.1")),
        "no arm64 libc for qemu -L / (dpkg --add-architecture arm64 && apt-get install"
            + " libc6:arm64)");
    Path root = Packages.extract(deb, dir.resolve("root"));
    Path share = root.resolve("usr/share/promptedge");
    Path profile =
        Files.writeString(
            dir.resolve("promptedged.textproto"),
            Files.readString(root.resolve("etc/promptedge/promptedged.textproto"))
                .replace("/usr/share/promptedge", share.toString())
                .replace("/var/lib/promptedge", dir.resolve("var").toString())
                .replace("port: 8470", "port: 0"));

    List<String> command = new ArrayList<>(List.of(qemu.get().toString(), "-L", "/"));
    command.addAll(
        launcherCommand(
            root,
            List.of("-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir.toAbsolutePath()),
            List.of("--profile", profile.toString())));
    byte[] bundle = Files.readAllBytes(share.resolve("bundles/nanodet-detect.bundle"));
    String task = BundleReader.parse(bundle, Long.MAX_VALUE).bundle().getName();
    long start = System.nanoTime();
    try (DaemonProcess daemon =
        DaemonProcess.start(
            // "/" is systemd's default WorkingDirectory.
            new ProcessBuilder(command).directory(new File("/")),
            dir.resolve("promptedged.err"),
            Duration.ofMinutes(5))) {
      ApiClient api = new ApiClient(daemon.port, null, Duration.ofMinutes(2));
      long ready = System.nanoTime();
      assertTrue(
          daemon.readyLine.contains("(aarch64), backbone ")
              && daemon.readyLine.contains(" on onnxruntime), "),
          daemon.readyLine);
      HttpResponse<byte[]> put = api.post("/v1/bundles", bundle);
      assertEquals(201, put.statusCode(), ApiClient.text(put));
      HttpResponse<byte[]> r =
          api.post(
              "/v1/infer?task=" + task,
              Files.readAllBytes(share.resolve("scenes/detection/000000.png")));
      assertEquals(200, r.statusCode(), ApiClient.text(r) + daemon.stderrText());
      InferResponse answer = ProtoJson.merge(ApiClient.text(r), InferResponse.newBuilder()).build();
      assertEquals(task, answer.getBundleName());
      assertEquals(64, answer.getImageWidth());
      System.out.printf(
          "%s%naarch64 (qemu): ready after %.1f s, %d boxes on scene 000000, total %.1f s%n",
          daemon.readyLine,
          (ready - start) / 1e9,
          answer.getDetectionsCount(),
          (System.nanoTime() - start) / 1e9);
    }
  }

  /**
   * The java command of the package's {@code /usr/bin/promptedged} with its paths moved under
   * {@code root}: its {@code exec} line, {@code PROMPTEDGED_JAVA_OPTS} replaced by {@code
   * javaOptions} and {@code "$@"} by {@code args}.
   */
  static List<String> launcherCommand(Path root, List<String> javaOptions, List<String> args)
      throws Exception {
    String launcher = Files.readString(root.resolve("usr/bin/promptedged")).replace("\\\n", " ");
    String lib = root.resolve("usr/lib/promptedge").toString();
    String exec =
        launcher
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("exec "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no exec line in the launcher:\n" + launcher));
    List<String> command = new ArrayList<>();
    for (String token : exec.substring("exec ".length()).strip().split("\\s+")) {
      switch (token) {
        case "${PROMPTEDGED_JAVA_OPTS:-}" -> command.addAll(javaOptions);
        case "\"$@\"" -> command.addAll(args);
        default -> command.add(token.replace("\"", "").replace("$lib", lib));
      }
    }
    assertTrue(command.get(0).startsWith(lib) && command.get(0).endsWith("/bin/java"), exec);
    return command;
  }
}
