package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.source.FrameInference;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.files.FileTrees;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * Camera sources end to end, printed as a markdown table: N tasks on one frame as one mixed-task
 * call vs N calls (N = 1, 2, 4, in this process), then through a real {@code promptedged} fed by
 * loopback MJPEG cameras: the latency from a frame leaving its camera to its event read from {@code
 * /v1/events} beside the backbone's share, one source's p99 next to a flooding (10× its fps) and a
 * stalled camera vs next to a well-behaved one, and the daemon's RSS over a run at full rate. Every
 * ratio compares rows of the same run.
 *
 * <pre>{@code
 * java -cp 'benchmarks/target/promptedge-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*' \
 *     dev.promptedge.benchmarks.SourceBenchmark --card models/demo/demo-vit.card.textproto \
 *     [--engine tflite|onnxruntime] [--int8] [--seconds 20] [--soak-seconds 600] [--fps 10]
 * }</pre>
 */
public final class SourceBenchmark {

  private static final int[] TASK_COUNTS = {1, 2, 4};
  private static final int WIDTH = 640;
  private static final int HEIGHT = 480;

  /** The JVM options of the service unit ({@code device-config/promptedged.service}). */
  private static final List<String> DAEMON_JVM = List.of("-Xmx192m", "-XX:+UseSerialGC");

  private SourceBenchmark() {}

  /** What one run measures with. */
  record Options(
      Path card,
      Path work,
      EngineKind engine,
      boolean quantized,
      int threads,
      int seconds,
      int soakSeconds,
      double fps) {}

  public static void main(String[] args) throws Exception {
    Options o = parse(args);
    Workbench bench =
        WorkbenchSetup.prepare(
            o.work().toAbsolutePath(),
            Optional.of(o.card()),
            WorkbenchSetup.demoSpec(),
            16,
            line -> System.err.println("setup: " + line));
    CardFile card = bench.card();
    InterpreterConfig config =
        new InterpreterConfig(o.threads(), true, Optional.empty(), o.engine());
    byte[] jpeg = cameraFrame(bench);
    List<String> daemonEngine =
        List.of(
            "use_quantized: " + o.quantized(),
            "interpreter { threads: %d xnnpack: true engine: \"%s\" }"
                .formatted(o.threads(), o.engine().name().toLowerCase(Locale.ROOT)));
    System.out.printf(
        Locale.ROOT,
        "%s %s on %s, %d thread(s), %dx%d JPEG frames of %d bytes%n%s%n%n",
        card.card().getName(),
        o.quantized() ? "int8" : "float",
        o.engine().name().toLowerCase(Locale.ROOT),
        o.threads(),
        WIDTH,
        HEIGHT,
        jpeg.length,
        SystemInfo.describe());
    try (Backbone backbone = Backbone.open(card, o.quantized(), config);
        TaskEngine engine = Engines.withTasks(bench, backbone, config, "sources", 0, 1, 2, 3);
        MjpegLoopback camera = new MjpegLoopback(jpeg)) {
      FrameInference inference = FrameInference.of(engine);
      System.out.println("| measurement | baseline | measured | ratio | goal | goal met |");
      System.out.println("|---|---|---|---|---|---|");
      for (int n : TASK_COUNTS) {
        batching(inference, jpeg, n, o.seconds());
      }
      List<String> two = tasks(2);
      EventLatencies alone =
          throughDaemon(
              bench,
              daemonEngine,
              camera,
              o.seconds(),
              "a",
              List.of(steady("a", camera, o.fps(), two)));
      double backboneMs = alone.backboneMillis();
      row(
          "Frame leaves the camera → its event read from a real promptedged's /v1/events, p50 (2"
              + " tasks per frame; the backbone call alone beside it)",
          "backbone %.2f ms".formatted(backboneMs),
          "%.2f ms".formatted(alone.p50()),
          "overhead %+.0f %%".formatted(100 * (alone.p50() - backboneMs) / backboneMs),
          "≤ +10 %",
          alone.p50() <= 1.1 * backboneMs);
      double[] st = alone.stageMillis();
      row(
          "Where the p50 goes (medians): preprocess, backbone, heads, post-processing; the rest is"
              + " JPEG decode, transport, JSON and hand-offs",
          "—",
          "%.2f + %.2f + %.2f + %.2f ms".formatted(st[0], st[1], st[2], st[3]),
          "rest %.2f ms".formatted(alone.p50() - st[0] - st[1] - st[2] - st[3]),
          "—",
          null);
      row(
          "Same, p99",
          "backbone %.2f ms".formatted(backboneMs),
          "%.2f ms".formatted(alone.p99()),
          "overhead %+.0f %%".formatted(100 * (alone.p99() - backboneMs) / backboneMs),
          "—",
          null);
      EventLatencies calm =
          throughDaemon(
              bench,
              daemonEngine,
              camera,
              o.seconds(),
              "a",
              List.of(steady("a", camera, o.fps(), two), steady("b", camera, o.fps(), two)));
      EventLatencies hostile =
          throughDaemon(
              bench,
              daemonEngine,
              camera,
              o.seconds(),
              "a",
              List.of(
                  steady("a", camera, o.fps(), two),
                  source("flood", camera.url("/paced/" + 10 * o.fps()), o.fps(), two),
                  source("stall", camera.url("/stall"), o.fps(), two)));
      row(
          "Source p99 beside a camera sending 10× the fps asked of it and a stalled one, vs"
              + " beside a well-behaved camera at the same fps",
          "%.2f ms".formatted(calm.p99()),
          "%.2f ms".formatted(hostile.p99()),
          "%.2f×".formatted(hostile.p99() / calm.p99()),
          "≤ 1.10×",
          hostile.p99() <= 1.1 * calm.p99());
      soak(bench, daemonEngine, camera, o.soakSeconds());
    }
  }

  /** N tasks on one frame: one mixed-task call vs one call per task, interleaved. */
  private static void batching(FrameInference inference, byte[] jpeg, int n, int seconds) {
    List<String> names = tasks(n);
    List<Double> batched = new ArrayList<>();
    List<Double> sequential = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (int round = -10; round < 0 || System.nanoTime() < end; round++) {
      long t0 = System.nanoTime();
      inference.infer(jpeg, names);
      long t1 = System.nanoTime();
      for (String name : names) {
        inference.infer(jpeg, List.of(name));
      }
      long t2 = System.nanoTime();
      if (round >= 0) {
        batched.add((t1 - t0) / 1e6);
        sequential.add((t2 - t1) / 1e6);
      }
    }
    double b = EventLatencies.percentile(batched, 0.5);
    double s = EventLatencies.percentile(sequential, 0.5);
    row(
        "Frames/s with %d task(s) per frame: one mixed-task call vs %d calls (median of %d)"
            .formatted(n, n, batched.size()),
        "%.1f frames/s".formatted(1000 / s),
        "%.1f frames/s".formatted(1000 / b),
        "%.2f×".formatted(s / b),
        n == 1 ? "—" : "≥ 1.5×",
        n == 1 ? null : s / b >= 1.5);
  }

  /**
   * Starts a real {@code promptedged} whose profile runs {@code sources}, installs tasks 0 and 1,
   * and reads {@code /v1/events?source=MEASURED} for {@code seconds} after a warm-up: the latency
   * of each event from its frame leaving the (steady) camera.
   */
  private static EventLatencies throughDaemon(
      Workbench bench,
      List<String> engineLines,
      MjpegLoopback camera,
      int seconds,
      String measured,
      List<String> sources)
      throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>(engineLines);
    lines.add("api { bind_address: \"127.0.0.1\" port: 0 max_event_clients: 2 }");
    lines.addAll(sources);
    HttpClient http = HttpClient.newHttpClient();
    try (ChildJvm daemon = daemonWithTwoTasks(bench, "events-" + System.nanoTime(), lines, http)) {
      return EventLatencies.read(
          http,
          URI.create(daemon.base() + "/v1/events?source=" + measured),
          seconds,
          sequence -> camera.sentNanos(measured, sequence));
    }
  }

  /**
   * RSS of a real {@code promptedged} (the service unit's heap cap) with two installed tasks and
   * one uncapped source fed by a 100 fps camera: at the end of warm-up vs the largest in the run's
   * last quarter.
   */
  private static void soak(
      Workbench bench, List<String> engineLines, MjpegLoopback camera, int seconds)
      throws IOException, InterruptedException {
    if (seconds <= 0) {
      return;
    }
    List<String> lines = new ArrayList<>(engineLines);
    lines.add("api { bind_address: \"127.0.0.1\" port: 0 }");
    lines.add(source("soak", camera.url("/paced/100"), 0, List.of()));
    long warmupMillis = Math.max(30_000, seconds * 100L);
    long startRss;
    long lateRss = 0;
    HttpClient http = HttpClient.newHttpClient();
    try (ChildJvm daemon = daemonWithTwoTasks(bench, "soak", lines, http)) {
      Thread.sleep(warmupMillis);
      startRss = daemon.rssKib();
      long start = System.nanoTime();
      long total = TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() - start < total) {
        Thread.sleep(5_000);
        if (System.nanoTime() - start > total * 3 / 4) {
          lateRss = Math.max(lateRss, daemon.rssKib());
        }
      }
      long frames = framesInferred(http, daemon.base());
      row(
          ("RSS of promptedged (%s) over %d s at full rate (a 100 fps camera, uncapped source,"
                  + " 2 tasks per frame, %d frames): end of %d s warm-up vs largest in the last"
                  + " quarter")
              .formatted(String.join(" ", DAEMON_JVM), seconds, frames, warmupMillis / 1000),
          "%.1f MiB".formatted(startRss / 1024.0),
          "%.1f MiB".formatted(lateRss / 1024.0),
          "%+.1f %%".formatted(100.0 * (lateRss - startRss) / startRss),
          "≤ 5 %" + (seconds < 600 ? " (goal over 600 s)" : ""),
          seconds >= 600 ? lateRss <= 1.05 * startRss : null);
    }
  }

  /**
   * A {@code promptedged} on the workbench card with {@code settings} (profile lines) and the
   * service unit's JVM options, in a fresh scratch folder {@code name}, with tasks 0 and 1
   * installed over its API.
   */
  private static ChildJvm daemonWithTwoTasks(
      Workbench bench, String name, List<String> settings, HttpClient http)
      throws IOException, InterruptedException {
    Path dir = bench.scratch(name);
    FileTrees.deleteTree(dir);
    Files.createDirectories(dir);
    Path profile =
        ChildJvm.daemonProfile(dir, bench.card().path(), settings.toArray(String[]::new));
    ChildJvm daemon =
        ChildJvm.startDaemon(
            Report.daemonClasspath(),
            DAEMON_JVM,
            profile,
            ProcessBuilder.Redirect.to(dir.resolve("daemon.err").toFile()));
    try {
      for (int i = 0; i < 2; i++) {
        send(http, daemon.base() + "/v1/bundles", "POST", bench.bundle(i));
      }
      return daemon;
    } catch (IOException | InterruptedException | RuntimeException e) {
      daemon.close();
      throw e;
    }
  }

  private static String send(HttpClient http, String url, String method, byte[] body)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          method + " " + url + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private static long framesInferred(HttpClient http, String base)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    String prefix = "promptedge_source_frames_inferred_total{source=\"soak\"} ";
    return r.body()
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(prefix.length()).trim()))
        .findFirst()
        .orElse(-1);
  }

  /** A profile line for a steady camera {@code name} taken frame by frame (fps 0). */
  private static String steady(String name, MjpegLoopback camera, double fps, List<String> tasks) {
    return source(name, camera.url("/steady/" + name + "/" + fps), 0, tasks);
  }

  /** A profile {@code sources} line. */
  private static String source(String name, String url, double fps, List<String> tasks) {
    StringBuilder line =
        new StringBuilder("sources { name: \"" + name + "\" url: \"" + url + "\" fps: " + fps);
    tasks.forEach(t -> line.append(" tasks: \"").append(t).append('"'));
    return line.append(" }").toString();
  }

  /** The first {@code n} workbench tasks: detection and segmentation alternate. */
  private static List<String> tasks(int n) {
    return IntStream.range(0, n).mapToObj(Workbench::taskName).toList();
  }

  /** The workbench's request image scaled to a VGA camera frame, as JPEG. */
  private static byte[] cameraFrame(Workbench bench) throws IOException {
    BufferedImage source = Engines.image(bench);
    BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = frame.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(source, 0, 0, WIDTH, HEIGHT, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(frame, "jpg", out);
    return out.toByteArray();
  }

  private static void row(
      String what, String baseline, String measured, String ratio, String goal, Boolean met) {
    System.out.printf(
        "| %s | %s | %s | %s | %s | %s |%n",
        what, baseline, measured, ratio, goal, met == null ? "—" : met ? "yes" : "**no**");
  }

  private static Options parse(String[] args) {
    Path card = Path.of("models", "demo", "demo-vit.card.textproto");
    Path work = Path.of("benchmarks", "target", "source-bench");
    EngineKind engine = EngineKind.TFLITE;
    boolean quantized = false;
    int threads = 1;
    int seconds = 20;
    int soak = 60;
    double fps = 10;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--card" -> card = Path.of(value(args, ++i));
        case "--work" -> work = Path.of(value(args, ++i));
        case "--engine" -> engine = EngineKind.parse(value(args, ++i));
        case "--int8" -> quantized = true;
        case "--threads" -> threads = Integer.parseInt(value(args, ++i));
        case "--seconds" -> seconds = Integer.parseInt(value(args, ++i));
        case "--soak-seconds" -> soak = Integer.parseInt(value(args, ++i));
        case "--fps" -> fps = Double.parseDouble(value(args, ++i));
        default -> usage("unknown option " + args[i]);
      }
    }
    return new Options(card, work, engine, quantized, threads, seconds, soak, fps);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println(
        "SourceBenchmark: "
            + problem
            + "\nusage: SourceBenchmark [--card CARD] [--engine tflite|onnxruntime] [--int8]"
            + " [--threads N] [--seconds N] [--soak-seconds N] [--fps F] [--work DIR]");
    System.exit(2);
  }
}
