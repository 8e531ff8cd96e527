package dev.promptedge.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resident set sizes of real processes after warm-up, read from {@code /proc/PID/status}: the
 * {@code promptedged} daemon with N installed tasks (bundles uploaded over its API, every task run
 * {@code rounds} times) and the {@link TaskModels} baseline. Both JVMs get the same heap cap.
 */
final class MemoryProbe {

  static final String HEAP = "-Xmx256m";
  private static final Pattern READY =
      Pattern.compile("promptedged ready on http://[^:]+:(\\d+) .*");

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

  /** VmRSS in KiB of a daemon serving tasks 0..tasks-1 after warm-up. */
  long daemonKib(int tasks) throws IOException, InterruptedException {
    Path dir = bench.scratch("daemon-" + tasks);
    FileTrees.delete(dir);
    Files.createDirectories(dir);
    Path profile =
        Files.writeString(
            dir.resolve("bench.textproto"),
            String.join(
                "\n",
                "format_version: 1",
                "board: \"benchmark\"",
                "backbone_card: \"" + bench.card().path().toAbsolutePath() + "\"",
                "use_quantized: true",
                "interpreter { threads: 2 xnnpack: true }",
                "store { directory: \"" + dir.resolve("store").toAbsolutePath() + "\" }",
                "api { bind_address: \"127.0.0.1\" port: 0 max_batch: 4 max_wait_ms: 2",
                "  queue_capacity: 16 }",
                ""));
    Path errors = dir.resolve("daemon.err");
    Process daemon =
        start(
            errors,
            daemonClasspath,
            "dev.promptedge.runtime.daemon.Promptedged",
            "--profile",
            profile.toString());
    try {
      String ready = firstLine(daemon, errors);
      Matcher m = READY.matcher(ready);
      if (!m.matches()) {
        throw new IllegalStateException("daemon did not get ready: " + ready);
      }
      String base = "http://127.0.0.1:" + m.group(1);
      for (int i = 0; i < tasks; i++) {
        post(base + "/v1/bundles", bench.signedBundle(i), 200, 201);
      }
      byte[] image = Files.readAllBytes(bench.image());
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < tasks; i++) {
          post(base + "/v1/infer?task=" + Workbench.taskName(i), image, 200);
        }
      }
      Thread.sleep(300);
      return rssKib(daemon.pid());
    } finally {
      stop(daemon);
    }
  }

  /** VmRSS in KiB of {@link TaskModels} holding the first {@code tasks} baked task models. */
  long bakedKib(int tasks) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(Integer.toString(rounds)));
    for (int i = 0; i < tasks; i++) {
      args.add(bench.bakedModel(i).toAbsolutePath().toString());
    }
    String classpath = daemonClasspath + java.io.File.pathSeparator + ownLocation();
    Path errors = bench.scratch("task-models.err");
    Process baseline =
        start(errors, classpath, TaskModels.class.getName(), args.toArray(String[]::new));
    try {
      String ready = firstLine(baseline, errors);
      if (!ready.startsWith("ready")) {
        throw new IllegalStateException("task models did not get ready: " + ready);
      }
      Thread.sleep(300);
      return rssKib(baseline.pid());
    } finally {
      stop(baseline);
    }
  }

  private static Process start(Path errors, String classpath, String main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    command.add("-cp");
    command.add(classpath);
    command.add(main);
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(errors.toFile()).start();
  }

  private static String firstLine(Process process, Path errors)
      throws IOException, InterruptedException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("process exited before it was ready; see " + errors);
    }
    return line;
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

  /** VmRSS of process {@code pid} in KiB. */
  static long rssKib(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  private static void stop(Process process) throws InterruptedException {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // already gone
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
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
