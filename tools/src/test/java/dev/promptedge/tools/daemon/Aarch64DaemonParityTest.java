package dev.promptedge.tools.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.tools.onnx.DemoCards;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code promptedged} on an aarch64 JVM under qemu, on ONNX Runtime's linux-aarch64
 * natives, serves the demo bundles on the demo scenes as the host's daemons on ONNX Runtime and on
 * TFLite do (see {@link AnswerParity}). Skips (naming the package) where qemu-user-static or the
 * arm64 JRE is missing.
 */
@Tag("qemu")
class Aarch64DaemonParityTest {

  static final Path DEMO = DemoCards.DEMO;
  @TempDir Path dir;

  /**
   * Options of every daemon JVM: a small heap, and a temporary folder inside the test's so that the
   * folders ONNX Runtime extracts its natives into go away with it.
   */
  private List<String> jvmOptions() {
    return List.of(
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + dir.toAbsolutePath());
  }

  @Test
  void aarch64DaemonInfersTheDemoScenesLikeTheX86Daemon() throws Exception {
    Aarch64Java arm = Aarch64Java.assumeInstalled();
    long start = System.nanoTime();
    CardFile card = exportedDemoCard();
    List<byte[]> bundles = demoBundles();

    String host = System.getProperty("os.arch");
    List<InferResponse> hostOrt =
        serve(
            "onnxruntime",
            host,
            DaemonProcess.command(profile("host-ort", card, "onnxruntime"), jvmOptions()),
            bundles,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
    List<InferResponse> hostTflite =
        serve(
            "tflite",
            host,
            DaemonProcess.command(profile("host-tflite", card, "tflite"), jvmOptions()),
            bundles,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
    long hostDone = System.nanoTime();
    List<InferResponse> aarch64 =
        serve(
            "onnxruntime",
            "aarch64",
            DaemonProcess.command(
                arm.launcher(), profile("aarch64", card, "onnxruntime"), jvmOptions()),
            bundles,
            Duration.ofMinutes(3),
            Duration.ofMinutes(2));
    long armDone = System.nanoTime();

    AnswerParity sameEngine = AnswerParity.compare(hostOrt, aarch64);
    AnswerParity reference = AnswerParity.compare(hostTflite, aarch64);
    System.out.printf(
        Locale.ROOT,
        "aarch64 onnxruntime (qemu) vs %s onnxruntime: %s%n"
            + "aarch64 onnxruntime (qemu) vs %s tflite: %s%n"
            + "host daemons %.1f s, aarch64 daemon %.1f s, total %.1f s%n",
        host,
        sameEngine,
        host,
        reference,
        (hostDone - start) / 1e9,
        (armDone - hostDone) / 1e9,
        (armDone - start) / 1e9);
    assertTrue(sameEngine.boxes() > 0, "the demo detection bundle finds boxes on the demo scenes");
    assertTrue(sameEngine.maskCounts() > 0, "the demo segmentation bundle labels pixels");
  }

  /**
   * The committed demo bundles carry a self-test expectation for the int8 ONNX file, measured on
   * x86; ONNX Runtime's int8 kernels on aarch64 round differently, and the self-test must still
   * pass there (it did not at the float tolerance: 1.2-1.7x off).
   */
  @Test
  void aarch64DaemonOnInt8InstallsAndServesTheDemoBundles() throws Exception {
    Aarch64Java arm = Aarch64Java.assumeInstalled();
    CardFile card = exportedDemoCard();
    List<byte[]> bundles = demoBundles();
    Path profile = profile("aarch64-int8", card, "onnxruntime");
    Files.writeString(profile, Files.readString(profile) + "use_quantized: true\n");
    List<InferResponse> answers =
        serve(
            "onnxruntime",
            "aarch64",
            DaemonProcess.command(arm.launcher(), profile, jvmOptions()),
            bundles,
            Duration.ofMinutes(3),
            Duration.ofMinutes(2));
    assertEquals(12, answers.size(), "six scenes per task");
    assertTrue(
        answers.stream().anyMatch(a -> a.getDetectionsCount() > 0),
        "the detection bundle finds boxes on int8");
  }

  @Test
  void aarch64DaemonOnTfliteRefusesToStartNamingTheSetting() throws Exception {
    Aarch64Java arm = Aarch64Java.assumeInstalled();
    Path profile =
        TestProfiles.write(
            dir.resolve("tflite.textproto"),
            exportedDemoCard(),
            dir.resolve("store-tflite"),
            "",
            0,
            List.of(),
            0);
    Path stderr = dir.resolve("tflite.err");
    Process process =
        DaemonProcess.command(arm.launcher(), profile, jvmOptions())
            .redirectError(stderr.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertTrue(process.waitFor(2, TimeUnit.MINUTES), "the daemon exits");
      String error = Files.readString(stderr);
      assertEquals(1, process.exitValue(), error);
      assertTrue(
          error.contains("No TensorFlow Lite JNI library for linux-aarch64")
              && error.contains("interpreter.tflite_jni_library"),
          error);
    } finally {
      process.destroyForcibly();
    }
  }

  private static List<byte[]> demoBundles() throws Exception {
    return List.of(
        Files.readAllBytes(DEMO.resolve("fashion-detect.bundle")),
        Files.readAllBytes(DEMO.resolve("fashion-segment.bundle")));
  }

  /** The demo card and the backbones it names copied into the test's folder, exported to ONNX. */
  private CardFile exportedDemoCard() throws Exception {
    return DemoCards.exported(dir.resolve("backbone"));
  }

  private Path profile(String name, CardFile card, String engine) throws Exception {
    Path profile =
        TestProfiles.write(
            dir.resolve(name + ".textproto"),
            card,
            dir.resolve("store-" + name),
            "",
            0,
            List.of(),
            0);
    return Files.writeString(
        profile,
        Files.readString(profile)
            .replace("xnnpack: false }", "xnnpack: false engine: \"" + engine + "\" }"));
  }

  /**
   * Starts the daemon of {@code command}, checks that it runs {@code engine} on {@code arch},
   * installs {@code bundles} over its API and infers every demo scene with the task its folder is
   * for (detection scenes with the detection bundle, segmentation scenes with the segmentation
   * bundle); returns the answers, timings cleared.
   */
  private List<InferResponse> serve(
      String engine,
      String arch,
      ProcessBuilder command,
      List<byte[]> bundles,
      Duration ready,
      Duration perRequest)
      throws Exception {
    List<InferResponse> answers = new ArrayList<>();
    try (DaemonProcess daemon =
        DaemonProcess.start(command, dir.resolve(arch + "-" + engine + ".err"), ready)) {
      assertTrue(
          daemon.readyLine.contains(" (" + arch + "), backbone ")
              && daemon.readyLine.contains(" on " + engine + "), "),
          daemon.readyLine);
      ApiClient api = new ApiClient(daemon.port, null, perRequest);
      for (byte[] bundle : bundles) {
        HttpResponse<byte[]> r = api.post("/v1/bundles", bundle);
        assertEquals(201, r.statusCode(), arch + ": " + text(r));
      }
      for (byte[] bundle : bundles) {
        var parsed = BundleReader.parse(bundle, Long.MAX_VALUE).bundle();
        String folder = parsed.getTask() == TaskKind.DETECTION ? "detection" : "segmentation";
        for (Path image : scenes(folder)) {
          HttpResponse<byte[]> r =
              api.post("/v1/infer?task=" + parsed.getName(), Files.readAllBytes(image));
          assertEquals(200, r.statusCode(), arch + " " + image + ": " + text(r));
          InferResponse answer = ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
          assertEquals(parsed.getName(), answer.getBundleName(), image.toString());
          answers.add(answer.toBuilder().clearTimings().build());
        }
      }
    }
    return answers;
  }

  private static List<Path> scenes(String folder) throws Exception {
    try (Stream<Path> files = Files.list(DEMO.resolve("scenes").resolve(folder + "/val/images"))) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
  }
}
