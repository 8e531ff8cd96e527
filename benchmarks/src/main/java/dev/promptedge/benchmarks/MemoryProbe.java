package dev.promptedge.benchmarks;

import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.tools.files.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Resident set sizes of real processes after warm-up, read from {@code /proc/PID/status}: the
 * {@code promptedged} daemon on either engine with N installed tasks (bundles uploaded over its
 * API, then the same {@link #requests} inference requests whatever N, spread evenly over the tasks)
 * and the {@link TaskModels} baseline. Both JVMs get the same heap cap.
 *
 * <p>The request count is fixed because a JVM's heap grows with the garbage its requests leave: a
 * daemon that served 10 tasks {@code rounds} times each next to one that served its one task {@code
 * rounds} times would read ten times the traffic, not the cost of nine more tasks.
 */
final class MemoryProbe {

  static final String HEAP = "-Xmx256m";

  private final Workbench bench;
  private final String daemonClasspath;
  private final int rounds;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  MemoryProbe(Workbench bench, String daemonClasspath, int rounds) {
    this.bench = bench;
    this.daemonClasspath = daemonClasspath;
    this.rounds = rounds;
  }

  /** Inference requests every daemon serves before its RSS is read. */
  int requests() {
    return rounds * Workbench.TASKS;
  }

  /**
   * VmRSS in KiB of a daemon on {@code engine} with tasks 0..tasks-1 installed, after {@link
   * #requests} requests in turn to each.
   */
  long daemonKib(String engine, int tasks) throws IOException, InterruptedException {
    Path dir = bench.scratch("daemon-" + engine + "-" + tasks);
    FileTrees.deleteTree(dir);
    Files.createDirectories(dir);
    Path profile =
        ChildJvm.daemonProfile(
            dir,
            bench.card().path(),
            "use_quantized: true",
            "interpreter { threads: 2 xnnpack: true engine: \"" + engine + "\" }",
            "api { bind_address: \"127.0.0.1\" port: 0 max_batch: 4 max_wait_ms: 2",
            "  queue_capacity: 16 }");
    try (ChildJvm daemon =
        ChildJvm.startDaemon(
            daemonClasspath,
            List.of(HEAP),
            profile,
            ProcessBuilder.Redirect.to(dir.resolve("daemon.err").toFile()))) {
      String base = daemon.base();
      for (int i = 0; i < tasks; i++) {
        post(base + "/v1/bundles", bench.signedBundle(i), 200, 201);
      }
      byte[] image = Files.readAllBytes(bench.image());
      for (int r = 0; r < requests(); r++) {
        post(base + "/v1/infer?task=" + Workbench.taskName(r % tasks), image, 200);
      }
      Thread.sleep(300);
      return daemon.rssKib();
    }
  }

  /**
   * VmRSS in KiB of {@link TaskModels} holding the first {@code tasks} baked task models on {@code
   * engine}.
   */
  long bakedKib(String engine, int tasks) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(engine, Integer.toString(rounds)));
    for (int i = 0; i < tasks; i++) {
      args.add(bench.bakedModel(i, EngineKind.parse(engine)).toAbsolutePath().toString());
    }
    String classpath = daemonClasspath + java.io.File.pathSeparator + ownLocation();
    ProcessBuilder.Redirect errors =
        ProcessBuilder.Redirect.to(bench.scratch("task-models-" + engine + ".err").toFile());
    try (ChildJvm baseline =
        ChildJvm.start(classpath, List.of(HEAP), TaskModels.class.getName(), args, errors)) {
      String ready = baseline.firstLine(errors);
      if (!ready.startsWith("ready")) {
        throw new IllegalStateException("task models did not get ready: " + ready);
      }
      Thread.sleep(300);
      return baseline.rssKib();
    }
  }

  private void post(String url, byte[] body, int... ok) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    for (int code : ok) {
      if (response.statusCode() == code) {
        return;
      }
    }
    throw new IllegalStateException(
        "POST " + url + " answered " + response.statusCode() + ": " + response.body());
  }

  private static String ownLocation() {
    try {
      return Path.of(MemoryProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
