package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.FrameEvent;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.json.ProtoJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/events} of a real daemon fed by loopback MJPEG cameras, read by real HTTP clients.
 */
class DaemonEventsTest {

  static final String TOKEN = "events-token";

  @TempDir Path dir;

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  /** A daemon reading {@code door} uncapped and {@code yard} at 10 fps, with detect and segment. */
  private Daemon start(CardFile card, MjpegServer door, MjpegServer yard, String apiExtra)
      throws Exception {
    Path file =
        TestProfiles.write(
            dir.resolve("board.textproto"), card, dir.resolve("store"), "", 0, List.of(), 0);
    String text =
        Files.readString(file)
            .replace(
                "max_wait_ms: 5 }", "max_wait_ms: 5 token: \"" + TOKEN + "\" " + apiExtra + "}");
    Files.writeString(file, text);
    Files.writeString(
        file,
        "sources { name: \"door\" url: \""
            + door.url()
            + "\" }\n"
            + "sources { name: \"yard\" url: \""
            + yard.url()
            + "\" fps: 10 }\n",
        StandardOpenOption.APPEND);
    Daemon daemon =
        Daemon.start(
            DeviceProfile.read(file),
            new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
    daemon.control().install(MicroFixtures.detection("detect", 1, 1).toBytes());
    daemon.control().install(MicroFixtures.segmentation("segment", 2, 2).toBytes());
    return daemon;
  }

  private static String url(Daemon daemon, String query) {
    return "http://127.0.0.1:" + daemon.address().getPort() + "/v1/events" + query;
  }

  private static FrameEvent parse(SseClient.Event e) {
    return ProtoJson.merge(e.data(), FrameEvent.newBuilder()).build();
  }

  /** The first frame event with both tasks' results, within 30 s. */
  private static FrameEvent bothTasks(SseClient client, String source) throws Exception {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      SseClient.Event raw = client.frames(1, 30_000).get(0);
      FrameEvent e = parse(raw);
      if (e.getSource().equals(source) && e.getResultsCount() == 2) {
        System.out.println("event: " + raw.name() + "\ndata: " + raw.data());
        return e;
      }
    }
    throw new AssertionError("no event of " + source + " with both tasks");
  }

  @Test
  void eachFrameIsOneEventWithEveryTasksResultAndSourceAndMasksAreHonoured() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    try (MjpegServer door = MjpegServer.looping(Scenes.frames(3, 64, 48), 30);
        MjpegServer yard = MjpegServer.looping(Scenes.frames(2, 80, 60), 30);
        Daemon daemon = start(card, door, yard, "max_event_clients: 4 ");
        SseClient quiet = SseClient.open(url(daemon, "?source=nowhere"), TOKEN);
        SseClient doorOnly = SseClient.open(url(daemon, "?source=door"), TOKEN);
        SseClient masks = SseClient.open(url(daemon, "?masks=1"), TOKEN)) {
      long opened = System.currentTimeMillis();
      assertEquals(200, doorOnly.response.statusCode());
      assertEquals(
          "text/event-stream; charset=utf-8",
          doorOnly.response.headers().firstValue("Content-Type").orElse(""));

      FrameEvent e = bothTasks(doorOnly, "door");
      assertEquals(1, e.getFormatVersion());
      assertTrue(e.getFrameUnixMs() > 0);
      InferResponse detect = e.getResults(0);
      InferResponse segment = e.getResults(1);
      assertEquals("detect", detect.getBundleName());
      assertEquals(1, detect.getBundleVersion());
      assertEquals(TaskKind.DETECTION, detect.getTask());
      assertEquals("segment", segment.getBundleName());
      assertEquals(2, segment.getBundleVersion());
      assertEquals(64, segment.getImageWidth());
      assertEquals(48, segment.getImageHeight());
      long pixels = segment.getSegmentation().getClassPixelsList().stream().mapToLong(x -> x).sum();
      assertEquals(
          (long) segment.getSegmentation().getWidth() * segment.getSegmentation().getHeight(),
          pixels,
          "class pixel counts cover the mask");
      assertEquals(
          List.of("background", "circle", "square"), segment.getSegmentation().getLabelsList());
      assertTrue(segment.getSegmentation().getMaskPng().isEmpty(), "no mask without ?masks=1");
      assertTrue(detect.getTimings().getBackboneUs() > 0);
      assertEquals(
          detect.getTimings().getBackboneUs(),
          segment.getTimings().getBackboneUs(),
          "both tasks ran in one backbone call");
      assertTrue(detect.getTimings().getTotalUs() >= detect.getTimings().getBackboneUs() / 1000);
      for (SseClient.Event x : doorOnly.frames(10, 20_000)) {
        assertEquals("door", parse(x).getSource(), "?source=door keeps one source");
      }
      // Arrival to event read by the client (one clock: loopback), beside the backbone's time.
      List<Long> latency = new ArrayList<>();
      List<Long> backbone = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        SseClient.Event x = doorOnly.frames(1, 20_000).get(0);
        FrameEvent f = parse(x);
        latency.add(x.receivedMillis() - f.getFrameUnixMs());
        if (f.getResultsCount() > 0) {
          backbone.add(f.getResults(0).getTimings().getBackboneUs());
        }
      }
      latency.sort(null);
      backbone.sort(null);
      System.out.println(
          "arrival to SSE event over 100 frames: p50 "
              + latency.get(50)
              + " ms, p99 "
              + latency.get(98)
              + " ms; backbone p50 "
              + backbone.get(backbone.size() / 2)
              + " us");
      assertTrue(latency.get(50) < 1_000, "p50 " + latency.get(50) + " ms");

      // The unfiltered stream sees both cameras; its segmentation results carry the mask.
      boolean sawYard = false;
      boolean sawDoor = false;
      long deadline = System.currentTimeMillis() + 30_000;
      while (!(sawYard && sawDoor) && System.currentTimeMillis() < deadline) {
        FrameEvent f = parse(masks.frames(1, 30_000).get(0));
        sawYard |= f.getSource().equals("yard");
        sawDoor |= f.getSource().equals("door");
        for (InferResponse r : f.getResultsList()) {
          if (r.getTask() == TaskKind.SEGMENTATION) {
            BufferedImage png =
                ImageIO.read(
                    new ByteArrayInputStream(r.getSegmentation().getMaskPng().toByteArray()));
            assertEquals(r.getSegmentation().getWidth(), png.getWidth());
            assertEquals(r.getSegmentation().getHeight(), png.getHeight());
          }
        }
      }
      assertTrue(sawYard && sawDoor, "both sources reach an unfiltered stream");

      // The token is required; flags are checked; a fourth client fits, a fifth does not.
      ApiClient anonymous = new ApiClient(daemon.address().getPort(), null);
      assertEquals(401, anonymous.get("/v1/events").statusCode());
      ApiClient api = new ApiClient(daemon.address().getPort(), TOKEN);
      HttpResponse<byte[]> bad = api.get("/v1/events?masks=yes");
      assertEquals(400, bad.statusCode());
      assertTrue(ApiClient.error(bad).getMessage().contains("?masks=yes"), ApiClient.text(bad));
      try (SseClient fourth = SseClient.open(url(daemon, ""), TOKEN)) {
        assertEquals(200, fourth.response.statusCode());
        HttpResponse<byte[]> full = api.get("/v1/events");
        assertEquals(503, full.statusCode());
        assertEquals("too_many_event_clients", ApiClient.error(full).getCode());
        assertTrue(ApiClient.error(full).getMessage().contains("api.max_event_clients"));
      }
      // The fourth client's place is free again once its stream is found closed.
      long until = System.currentTimeMillis() + 10_000;
      int status = 0;
      while (status != 200 && System.currentTimeMillis() < until) {
        try (SseClient again = SseClient.open(url(daemon, ""), TOKEN)) {
          status = again.response.statusCode();
        }
        Thread.sleep(100);
      }
      assertEquals(200, status, "a closed client's place is given back");
      assertFalse(doorOnly.ended());

      // A stream filtered to a source that sends nothing gets a comment line every 15 s.
      SseClient.Event first = quiet.next(x -> true, 5_000).orElseThrow();
      assertEquals("comment", first.name(), "the stream opens with a comment: " + first);
      SseClient.Event keepAlive = quiet.next(x -> true, 20_000).orElseThrow();
      assertEquals("comment", keepAlive.name());
      assertEquals("keepalive", keepAlive.data());
      long after = System.currentTimeMillis() - opened;
      assertTrue(after >= 14_000 && after < 25_000, "keep-alive after " + after + " ms");
    }
  }

  @Test
  void aClientThatNeverReadsIsDroppedWhileAnotherKeepsReceiving() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    try (MjpegServer door = MjpegServer.looping(Scenes.frames(3, 64, 48), 5);
        MjpegServer yard = MjpegServer.looping(Scenes.frames(2, 80, 60), 30);
        Daemon daemon = start(card, door, yard, "event_queue_bytes: 16384 ");
        Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", daemon.address().getPort()));
      slow.getOutputStream()
          .write(
              ("GET /v1/events?masks=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + TOKEN
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.ISO_8859_1));
      try (SseClient reader = SseClient.open(url(daemon, "?masks=1"), TOKEN)) {
        ApiClient api = new ApiClient(daemon.address().getPort(), TOKEN);
        long start = System.currentTimeMillis();
        long[] slowDropped = {0};
        Await.until(
            90_000,
            () -> {
              slowDropped[0] = metric(api, "promptedge_event_clients_slow_total");
              return slowDropped[0] >= 1;
            },
            () -> "the slow client is still connected; log: " + logged);
        long droppedAfter = System.currentTimeMillis() - start;
        assertEquals(1, metric(api, "promptedge_event_clients"), "the reader is still open");

        // The reader kept receiving, in order, and still does after the slow client left.
        List<Long> sequences = new ArrayList<>();
        for (SseClient.Event e : reader.frames(20, 20_000)) {
          FrameEvent f = parse(e);
          if (f.getSource().equals("door")) {
            sequences.add(f.getSequence());
          }
        }
        for (int i = 1; i < sequences.size(); i++) {
          assertTrue(sequences.get(i) > sequences.get(i - 1), "in order: " + sequences);
        }
        assertFalse(reader.ended());

        // The slow client's connection was closed: it reads what was buffered, then the end.
        slow.setSoTimeout(10_000);
        InputStream in = slow.getInputStream();
        byte[] buffer = new byte[65536];
        long read = 0;
        boolean ended = false;
        try {
          int n;
          while ((n = in.read(buffer)) >= 0) {
            read += n;
          }
          ended = true;
        } catch (SocketTimeoutException e) {
          ended = false;
        } catch (SocketException e) {
          ended = true; // reset by the daemon
        }
        assertTrue(ended, "the slow client's connection is closed after " + read + " bytes");
        System.out.println(
            "slow events client dropped after "
                + droppedAfter
                + " ms, "
                + read
                + " bytes were buffered for it");
      }
    }
  }

  static long metric(ApiClient api, String name) {
    try {
      String m = ApiClient.text(api.get("/metrics"));
      Matcher x = Pattern.compile("^" + name + " (\\d+)$", Pattern.MULTILINE).matcher(m);
      return x.find() ? Long.parseLong(x.group(1)) : -1;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
