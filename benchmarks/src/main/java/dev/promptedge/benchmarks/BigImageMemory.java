package dev.promptedge.benchmarks;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * Resident memory of a real {@code promptedged} (default heap, the demo backbone and bundles)
 * before and after 24 concurrent 5000x5000 PNGs, half detection and half segmentation, with the
 * status codes they got.
 *
 * <pre>{@code
 * java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' \
 *     dev.promptedge.benchmarks.BigImageMemory [-Xmx192m -XX:+UseSerialGC]
 * }</pre>
 */
public final class BigImageMemory {

  private BigImageMemory() {}

  /** Runs the measurement and prints the RSS before, at the peak seen and after. */
  public static void main(String[] args) throws Exception {
    Path root = Path.of(System.getProperty("promptedge.root", ".")).toAbsolutePath();
    Path models = root.resolve("models/demo");
    Path dir = Files.createTempDirectory("bigimage-");
    Path profile =
        ChildJvm.daemonProfile(
            dir,
            models.resolve("demo-vit.card.textproto"),
            "interpreter { threads: 1 xnnpack: true }",
            "api { bind_address: \"127.0.0.1\" port: 0 max_pixels: 25000000",
            "  max_body_bytes: 8388608 queue_capacity: 64 }");
    // args are JVM options of the daemon, e.g. -Xmx192m
    try (ChildJvm daemon =
        ChildJvm.startDaemon(
            System.getProperty("java.class.path"),
            List.of(args),
            profile,
            ProcessBuilder.Redirect.DISCARD)) {
      String base = daemon.base();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      for (String b : List.of("fashion-detect", "fashion-segment")) {
        post(http, base + "/v1/bundles", Files.readAllBytes(models.resolve(b + ".bundle")));
      }
      byte[] png = hugePng(models.resolve("scenes/detection/val/images/000000.png"));
      long before = daemon.rssKib();
      ExecutorService pool = Executors.newFixedThreadPool(24);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        String task = i % 2 == 0 ? "fashion-detect" : "fashion-segment";
        answers.add(pool.submit(() -> post(http, base + "/v1/infer?task=" + task, png)));
      }
      long peak = before;
      while (!answers.stream().allMatch(Future::isDone)) {
        peak = Math.max(peak, daemon.rssKib());
        Thread.sleep(20);
      }
      Map<Integer, Integer> codes = new TreeMap<>();
      for (Future<Integer> f : answers) {
        codes.merge(f.get(), 1, Integer::sum);
      }
      pool.shutdown();
      Thread.sleep(2000);
      long after = daemon.rssKib();
      System.out.printf(
          "daemon %s: 24 concurrent 5000x5000 PNGs (%d bytes each): answers %s; RSS %d MiB"
              + " before, %d MiB at the peak seen, %d MiB 2 s after%n",
          args.length == 0 ? "(default heap)" : String.join(" ", args),
          png.length,
          codes,
          before >> 10,
          peak >> 10,
          after >> 10);
    } finally {
      FileTrees.deleteTree(dir);
    }
  }

  private static byte[] hugePng(Path scene) throws IOException {
    BufferedImage small = ImageIO.read(scene.toFile());
    BufferedImage big = new BufferedImage(5000, 5000, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(small, 0, 0, 5000, 5000, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(big, "png", out);
    return out.toByteArray();
  }

  private static int post(HttpClient http, String url, byte[] body)
      throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
