package dev.promptedge.runtime.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.error;
import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.runtime.json.ProtoJson;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon process under hostile clients: stalled connections, images that would not fit the
 * service unit's 192 MiB heap, and the small refusals that used to be 500s, HTML or the wrong code.
 */
class DaemonLimitsTest {

  private static final String TOKEN = "limits-token-7c1e";

  @TempDir Path dir;

  @Test
  void twoHundredStalledConnectionsDoNotStopAnotherClientAndAreClosedAtTheTimeout()
      throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    // One loopback address plays the attacker and the other client: lift its per-client cap.
    Path profile = profile(card, "request_timeout_seconds: 6 max_connections_per_client: 256");
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr.txt"))) {
      ApiClient api = new ApiClient(daemon.port, TOKEN);
      install(api, MicroFixtures.detection("detect", 1, 1).toBytes());
      byte[] png = MicroFixtures.png(64, 48, 1);
      List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 200; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", daemon.port), 5_000);
          OutputStream out = s.getOutputStream();
          // Half stall inside the headers, half inside a body that never ends.
          String partial =
              i % 2 == 0
                  ? "POST /v1/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le"
                  : "POST /v1/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + TOKEN
                      + "\r\nContent-Length: 100000\r\n\r\n"
                      + "x".repeat(1000);
          out.write(partial.getBytes(StandardCharsets.US_ASCII));
          out.flush();
          stalled.add(s);
        }
        long stalledAt = System.nanoTime();
        Thread.sleep(500); // every stalled request now holds a handler thread
        for (int i = 0; i < 3; i++) {
          assertEquals(200, api.get("/v1/health").statusCode());
          HttpResponse<byte[]> r = api.post("/v1/infer", png);
          assertEquals(200, r.statusCode(), text(r));
          assertEquals(
              "detect", ProtoJson.merge(text(r), InferResponse.newBuilder()).getBundleName());
        }
        assertTrue(
            (System.nanoTime() - stalledAt) / 1_000_000 < 6_000,
            "the other client's requests were answered within the stalled ones' timeout");
        int open = 0;
        for (Socket s : stalled) {
          open += closedWithin(s, 1) ? 0 : 1;
        }
        assertEquals(200, open, "the stalled connections were still open meanwhile");
        for (Socket s : stalled) {
          long left = 6_000 + 5_000 - (System.nanoTime() - stalledAt) / 1_000_000;
          assertTrue(closedWithin(s, Math.max(1, left)), "a stalled connection outlived 6 s + 5 s");
        }
      } finally {
        for (Socket s : stalled) {
          s.close();
        }
      }
      assertEquals(200, api.get("/v1/health").statusCode());
    }
  }

  @Test
  void theServiceUnitsHeapSurvivesAHugeImageAndEightConcurrentLargeOnes() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    // The shipped Pi 5 profile's caps, under the systemd unit's heap.
    Path profile = profile(card, "max_body_bytes: 8388608 max_pixels: 25000000 queue_capacity: 16");
    try (DaemonProcess daemon =
        DaemonProcess.start(
            profile, dir.resolve("stderr.txt"), List.of("-Xmx192m", "-XX:+UseSerialGC"))) {
      ApiClient api = new ApiClient(daemon.port, TOKEN);
      install(api, MicroFixtures.detection("detect", 1, 1).toBytes());
      install(api, MicroFixtures.segmentation("segment", 1, 2).toBytes());

      byte[] huge = blocky(5000, 5000, 7);
      assertTrue(huge.length < 1_000_000, "a small file: " + huge.length + " bytes");
      for (String task : List.of("detect", "segment")) {
        HttpResponse<byte[]> r = api.post("/v1/infer?task=" + task, huge);
        assertEquals(200, r.statusCode(), task + ": " + text(r));
        InferResponse result = ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
        assertEquals(5000, result.getImageWidth());
        assertEquals(5000, result.getImageHeight());
        if (task.equals("segment")) {
          assertEquals(5000, result.getSegmentation().getWidth());
        }
      }

      byte[] large = blocky(3000, 3000, 8);
      HttpResponse<byte[]> alone = api.post("/v1/infer?task=detect", large);
      assertEquals(200, alone.statusCode(), text(alone));
      InferResponse expected = ProtoJson.merge(text(alone), InferResponse.newBuilder()).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          answers.add(pool.submit(() -> api.post("/v1/infer?task=detect", large)));
        }
        int served = 0;
        for (Future<HttpResponse<byte[]>> f : answers) {
          HttpResponse<byte[]> r = f.get(120, TimeUnit.SECONDS);
          if (r.statusCode() == 503) {
            assertEquals("busy", error(r).getCode(), text(r));
            assertTrue(r.headers().firstValue("Retry-After").isPresent());
            continue;
          }
          assertEquals(200, r.statusCode(), text(r));
          InferResponse got = ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
          assertEquals(expected.getDetectionsList(), got.getDetectionsList());
          served++;
        }
        assertTrue(served >= 1, "at least the first of the eight was served");
      } finally {
        pool.shutdownNow();
      }
      assertEquals(200, api.get("/v1/health").statusCode());
      assertFalse(daemon.stderrText().contains("OutOfMemoryError"), daemon.stderrText());
    }
  }

  @Test
  void aProfileWhoseLargestImageCannotFitItsBudgetIsRefusedAtStart() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    Path profile = profile(card, "max_pixels: 25000000 decode_budget_bytes: 50000000");
    Process p =
        DaemonProcess.command(profile, List.of("-Xmx256m"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("out.txt").toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue());
    List<String> lines = Files.readAllLines(dir.resolve("out.txt"));
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("promptedged: api.max_pixels 25000000"), last);
    assertTrue(last.contains("api.decode_budget_bytes is 50000000"), last);
  }

  @Test
  void smallRefusalsAreJsonWithTheRightCode() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    Path profile = profile(card, "");
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr.txt"))) {
      ApiClient api = new ApiClient(daemon.port, TOKEN);
      Bundle detect = MicroFixtures.detection("detect", 1, 1);
      install(api, detect.toBytes());

      HttpResponse<byte[]> r =
          api.send(api.request("/v1/health").setHeader("Authorization", "bearer " + TOKEN).GET());
      assertEquals(200, r.statusCode(), "the auth scheme is case-insensitive: " + text(r));

      byte[] png = MicroFixtures.png(64, 48, 1);
      r =
          api.send(
              api.request("/v1/infer")
                  .POST(
                      HttpRequest.BodyPublishers.ofInputStream(
                          () -> new ByteArrayInputStream(png))));
      assertEquals(200, r.statusCode(), "a chunked body is read too: " + text(r));

      r = api.put("/v1/tasks/active", "{\"name\": \"" + "a".repeat(250) + "\"}");
      assertEquals(400, r.statusCode(), text(r));
      assertEquals("bad_name", error(r).getCode());
      assertTrue(error(r).getMessage().contains("250 characters"), text(r));

      r = api.put("/v1/tasks/active", "{\"name\": \"" + "a".repeat(5000) + "\"}");
      assertEquals(413, r.statusCode(), text(r));
      assertTrue(error(r).getMessage().contains("activation request"), text(r));
      assertFalse(error(r).getMessage().contains("api.max_body_bytes"), text(r));

      r = api.delete("/v1/bundles/..%2Fstore");
      assertEquals(400, r.statusCode(), text(r));
      assertEquals("bad_name", error(r).getCode());

      PromptBundle inside = detect.bundle();
      r = api.post("/v1/bundles", wrap(inside.toBuilder().setName("kind").setTaskValue(17)));
      assertEquals(422, r.statusCode(), text(r));
      assertEquals("unknown_task_kind", error(r).getCode());
      assertTrue(error(r).getMessage().contains("17"), text(r));

      r = api.post("/v1/bundles", wrap(inside.toBuilder().setName("huge").setVersion(-1L)));
      assertEquals(400, r.statusCode(), text(r));
      assertEquals("bad_version", error(r).getCode());
      assertTrue(error(r).getMessage().contains("v18446744073709551615"), text(r));

      // What the server answers itself, before any handler, is an ApiError too.
      String answer = raw(daemon.port, "NONSENSE\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
      assertTrue(answer.contains("Content-Type: application/json"), answer);
      assertTrue(answer.contains("\"code\":\"bad_request\""), answer);
      answer =
          raw(
              daemon.port,
              "GET /v1/health HTTP/1.1\r\nHost: t\r\nX: " + "v".repeat(9000) + "\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
      assertTrue(answer.contains("\"code\":\"headers_too_large\""), answer);
      // Everything past the request line reaches the API and is an ApiError.
      answer =
          raw(
              daemon.port,
              "GET /v1/nope HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + TOKEN
                  + "\r\nConnection: close\r\n\r\n");
      assertTrue(answer.startsWith("HTTP/1.1 404"), answer);
      assertTrue(answer.contains("\"code\":\"not_found\""), answer);
    }
  }

  private Path profile(CardFile card, String api) throws IOException {
    return TestProfiles.withApi(
        dir.resolve("limits.textproto"), card, dir.resolve("store"), TOKEN, api);
  }

  private static void install(ApiClient api, byte[] bundle) throws Exception {
    HttpResponse<byte[]> r = api.post("/v1/bundles", bundle);
    assertEquals(201, r.statusCode(), text(r));
  }

  private static byte[] wrap(PromptBundle.Builder bundle) {
    return SignedBundle.newBuilder()
        .setFormatVersion(1)
        .setBundle(ByteString.copyFrom(bundle.build().toByteArray()))
        .build()
        .toByteArray();
  }

  /** A synthetic scene scaled up with nearest-neighbour blocks: large, and small as a PNG. */
  private static byte[] blocky(int width, int height, long seed) {
    BufferedImage small = MicroFixtures.image(64, 48, seed);
    BufferedImage big = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = big.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
    g.drawImage(small, 0, 0, width, height, null);
    g.dispose();
    return PngBytes.encode(big);
  }

  /** Whether the peer closed {@code s} (EOF or reset) within {@code millis}. */
  private static boolean closedWithin(Socket s, long millis) throws IOException {
    s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
    try {
      s.getInputStream().read(); // EOF, or an answer: either way no longer stalled
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static String raw(int port, String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
