package dev.promptedge.tools.daemon;

import static dev.promptedge.tools.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.daemon.api.ProtoJson;
import dev.promptedge.tools.onnx.OnnxExport;
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
 * natives, serves the demo bundles on the demo scenes as the x86 daemon does: identical labels,
 * boxes within 1e-3 px, per-class mask pixel counts within 0.1 % of the image. Skips (naming the
 * package) where qemu-user-static or the arm64 JRE is missing.
 */
@Tag("qemu")
class Aarch64DaemonParityTest {

  static final Path DEMO = Path.of("..", "models", "demo");
  static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  static final double BOX_TOLERANCE = 1e-3;
  static final double MASK_FRACTION = 1e-3;

  @TempDir Path dir;

  @Test
  void aarch64DaemonInfersTheDemoScenesLikeTheX86Daemon() throws Exception {
    Aarch64Java arm = Aarch64Java.assumeInstalled();
    long start = System.nanoTime();
    CardFile card = exportedDemoCard();
    List<byte[]> bundles =
        List.of(
            Files.readAllBytes(DEMO.resolve("fashion-detect.bundle")),
            Files.readAllBytes(DEMO.resolve("fashion-segment.bundle")));

    List<InferResponse> x86 =
        serve(
            System.getProperty("os.arch"),
            DaemonProcess.command(profile("host", card), JVM_OPTIONS),
            bundles,
            Duration.ofSeconds(60),
            Duration.ofSeconds(30));
    long x86Done = System.nanoTime();
    List<InferResponse> aarch64 =
        serve(
            "aarch64",
            DaemonProcess.command(arm.launcher(), profile("aarch64", card), JVM_OPTIONS),
            bundles,
            Duration.ofMinutes(3),
            Duration.ofMinutes(2));
    long armDone = System.nanoTime();

    Parity parity = compare(x86, aarch64);
    System.out.printf(
        Locale.ROOT,
        "aarch64 (qemu) vs x86 daemon, onnxruntime, %d scenes: %d boxes, max box diff %.3g px,"
            + " max score diff %.3g; mask class counts max diff %d px (%.4f %% of the image),"
            + " %d of %d class counts differ; x86 %.1f s, aarch64 %.1f s, total %.1f s%n",
        x86.size(),
        parity.boxes,
        parity.maxBoxDiff,
        parity.maxScoreDiff,
        parity.maxMaskDiff,
        100.0 * parity.maxMaskFraction,
        parity.maskCountsDiffering,
        parity.maskCounts,
        (x86Done - start) / 1e9,
        (armDone - x86Done) / 1e9,
        (armDone - start) / 1e9);
    assertTrue(parity.boxes > 0, "the demo detection bundle finds boxes on the demo scenes");
    assertTrue(parity.maskCounts > 0, "the demo segmentation bundle labels pixels");
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
        DaemonProcess.command(arm.launcher(), profile, JVM_OPTIONS)
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

  /** The demo card and its float backbone copied into the test's folder, exported to ONNX. */
  private CardFile exportedDemoCard() throws Exception {
    Path backbone = Files.createDirectories(dir.resolve("backbone"));
    for (String name : List.of("demo-vit.card.textproto", "demo-vit.tflite")) {
      Files.copy(DEMO.resolve(name), backbone.resolve(name));
    }
    return OnnxExport.export(CardFile.read(backbone.resolve("demo-vit.card.textproto")));
  }

  private Path profile(String name, CardFile card) throws Exception {
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
            .replace("xnnpack: false }", "xnnpack: false engine: \"onnxruntime\" }"));
  }

  /**
   * Starts the daemon of {@code command}, checks that it runs ONNX Runtime on {@code arch},
   * installs {@code bundles} over its API and infers every demo scene with the task its folder is
   * for (detection scenes with the detection bundle, segmentation scenes with the segmentation
   * bundle); returns the answers, timings cleared.
   */
  private List<InferResponse> serve(
      String arch,
      ProcessBuilder command,
      List<byte[]> bundles,
      Duration ready,
      Duration perRequest)
      throws Exception {
    List<InferResponse> answers = new ArrayList<>();
    try (DaemonProcess daemon = DaemonProcess.start(command, dir.resolve(arch + ".err"), ready)) {
      assertTrue(daemon.readyLine.contains(" on onnxruntime, " + arch + ")"), daemon.readyLine);
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

  /** Asserts the parity of every answer pair and collects its figures. */
  private static Parity compare(List<InferResponse> x86, List<InferResponse> aarch64) {
    assertEquals(x86.size(), aarch64.size());
    Parity parity = new Parity();
    for (int i = 0; i < x86.size(); i++) {
      InferResponse a = x86.get(i);
      InferResponse b = aarch64.get(i);
      String where = "answer " + i + " (" + a.getBundleName() + ")";
      assertEquals(a.getTask(), b.getTask(), where);
      assertEquals(a.getImageWidth(), b.getImageWidth(), where);
      assertEquals(a.getImageHeight(), b.getImageHeight(), where);
      assertEquals(a.getDetectionsCount(), b.getDetectionsCount(), where + ": detections");
      for (int d = 0; d < a.getDetectionsCount(); d++) {
        parity.box(a.getDetections(d), b.getDetections(d), where + " detection " + d);
      }
      if (a.hasSegmentation()) {
        var ma = a.getSegmentation();
        var mb = b.getSegmentation();
        assertEquals(ma.getLabelsList(), mb.getLabelsList(), where);
        assertEquals(ma.getClassPixelsCount(), mb.getClassPixelsCount(), where);
        long pixels = (long) ma.getWidth() * ma.getHeight();
        for (int c = 0; c < ma.getClassPixelsCount(); c++) {
          parity.mask(ma.getClassPixels(c), mb.getClassPixels(c), pixels, where + " class " + c);
        }
      }
    }
    return parity;
  }

  /** The largest differences seen between the two daemons' answers. */
  private static final class Parity {
    int boxes;
    double maxBoxDiff;
    double maxScoreDiff;
    int maskCounts;
    int maskCountsDiffering;
    long maxMaskDiff;
    double maxMaskFraction;

    void box(DetectionBox a, DetectionBox b, String where) {
      assertEquals(a.getLabel(), b.getLabel(), where);
      assertEquals(a.getClassId(), b.getClassId(), where);
      double diff =
          Math.max(
              Math.max(Math.abs(a.getXMin() - b.getXMin()), Math.abs(a.getYMin() - b.getYMin())),
              Math.max(Math.abs(a.getXMax() - b.getXMax()), Math.abs(a.getYMax() - b.getYMax())));
      assertTrue(diff <= BOX_TOLERANCE, where + ": box corners differ by " + diff + " px");
      boxes++;
      maxBoxDiff = Math.max(maxBoxDiff, diff);
      maxScoreDiff = Math.max(maxScoreDiff, Math.abs(a.getScore() - b.getScore()));
    }

    void mask(long a, long b, long pixels, String where) {
      long diff = Math.abs(a - b);
      double fraction = (double) diff / pixels;
      assertTrue(
          fraction <= MASK_FRACTION,
          where + ": " + a + " vs " + b + " pixels, " + diff + " of " + pixels + " differ");
      maskCounts++;
      maskCountsDiffering += diff == 0 ? 0 : 1;
      maxMaskDiff = Math.max(maxMaskDiff, diff);
      maxMaskFraction = Math.max(maxMaskFraction, fraction);
    }
  }
}
