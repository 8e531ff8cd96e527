package dev.promptedge.runtime.source;

import static dev.promptedge.runtime.fixtures.Await.names;
import static dev.promptedge.runtime.fixtures.Await.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.image.ImageHeader;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MJPEG over real loopback HTTP into the real engine: results, swaps, drops and reconnects. */
class HttpSourceTest {

  @TempDir Path dir;

  @Test
  void everyInstalledTaskRunsOnEachFrameAndAnInstallAppliesAtTheNextFrame() throws Exception {
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera = MjpegServer.looping(Scenes.frames(4, 64, 48), 20);
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(64)) {
      assertEquals(false, sources.put(new SourceSpec("door", camera.url(), 0, List.of())));
      FrameResults first = Await.results(sub, 10_000, r -> true);
      assertEquals("door", first.source());
      assertEquals(List.of("detect:1", "segment:1"), names(first));
      assertEquals(TaskKind.DETECTION, first.results().get(0).task());
      assertEquals(TaskKind.SEGMENTATION, first.results().get(1).task());
      assertEquals(64, first.results().get(0).imageWidth(), "results in the camera's pixels");
      assertEquals(48, first.results().get(1).imageHeight());
      assertTrue(first.arrivedMillis() <= first.inferenceStartMillis());
      assertTrue(first.inferenceStartMillis() <= first.inferenceEndMillis());

      ResultsHub.Latest latest = sources.hub().latest("door").orElseThrow();
      assertSameAsOneTaskAtATime(f, latest);

      f.engine.install(MicroFixtures.segmentation("segment", 2, 9).toBytes());
      long installedAt = System.currentTimeMillis();
      FrameResults swapped = Await.results(sub, 10_000, r -> names(r).contains("segment:2"));
      assertEquals(List.of("detect:1", "segment:2"), names(swapped));
      FrameResults after = Await.results(sub, 10_000, r -> r.arrivedMillis() > installedAt + 100);
      assertEquals(List.of("detect:1", "segment:2"), names(after), "no frame goes back");

      assertTrue(
          sources.put(new SourceSpec("door", camera.url(), 0, List.of("segment", "missing"))));
      FrameResults named =
          Await.results(sub, 10_000, r -> r.results().size() == 1 && r.sequence() == 1);
      assertEquals(List.of("segment:2"), names(named), "a task not installed is left out");
      f.engine.install(MicroFixtures.classification("missing", 1, 4).toBytes());
      Await.results(sub, 10_000, r -> names(r).equals(List.of("segment:2", "missing:1")));

      SourceStatus s = status(sources, "door");
      assertEquals(SourceStatus.State.CONNECTED, s.state());
      assertEquals(0, s.streamErrors() + s.decodeFailures() + s.inferenceFailures());
      assertTrue(s.framesInferred() >= 2 && s.framesIn() >= s.framesInferred(), s.toString());
      assertTrue(sources.remove("door"));
      assertEquals(Optional.empty(), sources.status("door"));
      assertEquals(Optional.empty(), sources.hub().latest("door"));
    }
  }

  /** The batched per-frame results equal each task run alone on the same decoded frame. */
  private static void assertSameAsOneTaskAtATime(EngineFixture f, ResultsHub.Latest latest) {
    ImageDecoder decoder = new ImageDecoder();
    ImageHeader header = decoder.header(latest.jpeg());
    int step =
        Preprocessor.forCard(f.backbone.card().card()).sampleStep(header.width(), header.height());
    BufferedImage image = decoder.decode(latest.jpeg(), step);
    for (InferenceResult batched : latest.results().results()) {
      InferenceResult alone =
          f.engine.infer(
              new TaskRequest(
                  image, Optional.of(batched.bundleName()), header.width(), header.height()));
      assertArrayEquals(alone.headOutput(), batched.headOutput(), 1e-4f, batched.bundleName());
    }
  }

  @Test
  void aDroppedConnectionIsReconnectedAndTheSourceGoesOn() throws Exception {
    byte[][] frames = Scenes.frames(3, 48, 40);
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera =
            new MjpegServer(
                c -> {
                  c.head();
                  for (byte[] frame : frames) {
                    c.part(frame, c.index % 2 == 0);
                    Thread.sleep(30);
                  }
                });
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub())) {
      sources.put(new SourceSpec("flaky", camera.url(), 0, List.of("detect")));
      // The source counts a reconnect before the camera has accepted the new connection.
      Await.until(
          20_000,
          () -> status(sources, "flaky").reconnects() >= 3 && camera.accepted() >= 4,
          () -> status(sources, "flaky") + ", connections: " + camera.accepted());
      SourceStatus s = status(sources, "flaky");
      assertTrue(camera.accepted() >= 4, "connections: " + camera.accepted());
      assertTrue(s.framesInferred() >= 4, s.toString());
      assertEquals(0, s.decodeFailures() + s.frameErrors() + s.inferenceFailures(), s.toString());
      long inferred = s.framesInferred();
      Await.until(
          10_000,
          () -> status(sources, "flaky").framesInferred() > inferred + 2,
          () -> "frames keep coming after reconnects: " + status(sources, "flaky"));
    }
  }

  @Test
  void aServerThatRefusesIsRetriedWithBackoffAndItsAnswerNamed() throws Exception {
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer denied =
            new MjpegServer(c -> c.raw("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub())) {
      sources.put(new SourceSpec("gone", denied.url(), 0, List.of()));
      Await.until(
          10_000,
          () -> status(sources, "gone").streamErrors() >= 3,
          () -> status(sources, "gone").toString());
      long start = System.currentTimeMillis();
      int before = denied.accepted();
      Thread.sleep(1_000);
      SourceStatus s = status(sources, "gone");
      assertTrue(s.lastError().orElseThrow().contains("HTTP 404"), s.toString());
      assertTrue(
          denied.accepted() - before <= 4,
          "backoff doubles: "
              + (denied.accepted() - before)
              + " tries in "
              + (System.currentTimeMillis() - start)
              + " ms");
      assertEquals(SourceStatus.State.RECONNECTING, s.state());
    }
  }

  @Test
  void credentialsInTheUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
    byte[] frame = Scenes.jpeg(48, 40, 7);
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera =
            new MjpegServer(
                c -> {
                  // admin:s3cr%3At -> "admin:s3cr:t"
                  if (!c.request.contains("Authorization: Basic YWRtaW46czNjcjp0\r\n")) {
                    c.raw("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
                    return;
                  }
                  c.head();
                  while (true) {
                    c.part(frame, true);
                    Thread.sleep(30);
                  }
                });
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(8)) {
      String url = camera.url().replace("http://", "http://admin:s3cr%3At@");
      sources.put(new SourceSpec("locked", url, 0, List.of("detect")));
      assertEquals("locked", Await.results(sub, 10_000, r -> true).source());
      SourceStatus s = status(sources, "locked");
      assertEquals(0, s.streamErrors(), s.toString());
      assertTrue(s.url().startsWith("http://***@127.0.0.1:"), s.url());
      sources.put(new SourceSpec("wrong", url.replace("s3cr", "guess"), 0, List.of()));
      Await.until(
          10_000,
          () -> status(sources, "wrong").streamErrors() >= 1,
          () -> status(sources, "wrong").toString());
      String error = status(sources, "wrong").lastError().orElseThrow();
      assertTrue(error.contains("answered HTTP 401"), error);
      assertTrue(!error.contains("guess"), error);
    }
  }

  @Test
  void aChunkedResponseWithoutPartLengthsStreamsToo() throws Exception {
    byte[][] frames = Scenes.frames(3, 56, 42);
    try (EngineFixture f = new EngineFixture(dir);
        MjpegServer camera =
            new MjpegServer(
                c -> {
                  c.raw(
                      "HTTP/1.1 200 OK\r\nContent-Type: multipart/x-mixed-replace;"
                          + " boundary=\"frame\"\r\nTransfer-Encoding: chunked\r\n\r\n");
                  for (int i = 0; ; i++) {
                    ByteArrayOutputStream part = new ByteArrayOutputStream();
                    part.writeBytes(
                        "--frame\r\nContent-Type: image/jpeg\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    part.writeBytes(frames[i % frames.length]);
                    part.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    byte[] body = part.toByteArray();
                    // each part split over two chunks, the split inside the JPEG
                    int half = body.length / 2;
                    c.raw(Integer.toHexString(half) + "\r\n");
                    c.raw(java.util.Arrays.copyOfRange(body, 0, half));
                    c.raw("\r\n" + Integer.toHexString(body.length - half) + "\r\n");
                    c.raw(java.util.Arrays.copyOfRange(body, half, body.length));
                    c.raw("\r\n");
                    Thread.sleep(30);
                  }
                });
        SourceManager sources = new SourceManager(FrameInference.of(f.engine), new ResultsHub());
        ResultsHub.Subscription sub = sources.hub().subscribe(64)) {
      sources.put(new SourceSpec("chunked", camera.url(), 0, List.of("detect")));
      for (int i = 0; i < 4; i++) {
        FrameResults r = Await.results(sub, 10_000, x -> true);
        assertEquals(56, r.results().get(0).imageWidth());
      }
      SourceStatus s = status(sources, "chunked");
      assertEquals(0, s.decodeFailures() + s.streamErrors() + s.frameErrors(), s.toString());
    }
  }
}
