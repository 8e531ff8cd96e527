package dev.promptedge.benchmarks;

import dev.promptedge.tools.files.FileTrees;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Single-client inferences per second over one kept-alive connection against a real {@code
 * promptedged} on loopback (the committed demo backbone and {@code fashion-detect} bundle), once
 * with TCP_NODELAY off ({@code -Dpromptedge.http.nodelay=false}) and once as shipped (the daemon
 * turns it on itself).
 *
 * <pre>{@code
 * ./mvnw -B -ntp -DskipTests package
 * java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' \
 *     dev.promptedge.benchmarks.KeepAliveRate [--seconds 10]
 * }</pre>
 */
public final class KeepAliveRate {

  private KeepAliveRate() {}

  /** Runs both measurements and prints one line each. */
  public static void main(String[] args) throws Exception {
    int seconds = args.length == 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 10;
    Path root = Path.of(System.getProperty("promptedge.root", ".")).toAbsolutePath();
    Path models = root.resolve("models/demo");
    byte[] bundle = Files.readAllBytes(models.resolve("fashion-detect.bundle"));
    byte[] image = Files.readAllBytes(models.resolve("scenes/detection/val/images/000000.png"));
    for (String nodelay : List.of("false", "true")) {
      Path dir = Files.createTempDirectory("keepalive-");
      Path profile =
          ChildJvm.daemonProfile(
              dir,
              models.resolve("demo-vit.card.textproto"),
              "interpreter { threads: 1 xnnpack: true }",
              "api { bind_address: \"127.0.0.1\" port: 0 max_batch: 4 max_wait_ms: 0 }");
      List<String> jvmOptions = new ArrayList<>(List.of("-Xmx192m"));
      if (nodelay.equals("false")) {
        jvmOptions.add("-Dpromptedge.http.nodelay=false"); // the shipped daemon sets it on
      }
      try (ChildJvm daemon =
          ChildJvm.startDaemon(
              System.getProperty("java.class.path"),
              jvmOptions,
              profile,
              ProcessBuilder.Redirect.DISCARD)) {
        String base = daemon.base();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        send(http, base + "/v1/bundles", bundle, 201);
        measure(http, base, image, 2); // warm-up
        double[] millis = measure(http, base, image, seconds);
        Arrays.sort(millis);
        System.out.printf(
            Locale.ROOT,
            "TCP_NODELAY %-3s: %5.1f inferences/s over one kept-alive connection (%d in %d s,"
                + " p50 %.1f ms, p90 %.1f ms)%n",
            nodelay.equals("true") ? "on" : "off",
            millis.length / (double) seconds,
            millis.length,
            seconds,
            millis[millis.length / 2],
            millis[millis.length * 9 / 10]);
      } finally {
        FileTrees.deleteTree(dir);
      }
    }
  }

  private static double[] measure(HttpClient http, String base, byte[] image, int seconds)
      throws IOException, InterruptedException {
    List<Double> times = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      send(http, base + "/v1/infer", image, 200);
      times.add((System.nanoTime() - start) / 1e6);
    }
    return times.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void send(HttpClient http, String url, byte[] body, int expected)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(
          url
              + " answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
  }
}
