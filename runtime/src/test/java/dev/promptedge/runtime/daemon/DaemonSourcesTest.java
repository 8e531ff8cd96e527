package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.source.FrameResults;
import dev.promptedge.runtime.source.ResultsHub;
import dev.promptedge.runtime.source.SourceStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon runs the profile's sources: frames inferred, visible in /metrics, stopped on close.
 */
class DaemonSourcesTest {

  @TempDir Path dir;

  private Path profile(CardFile card, String cameraUrl, String refusedUrl) throws Exception {
    Path file =
        TestProfiles.withLines(
            dir.resolve("board.textproto"),
            card,
            dir.resolve("store"),
            "sources { name: \"cam\" url: \""
                + cameraUrl
                + "\" fps: 10 }\n"
                + "sources { name: \"gone\" url: \""
                + refusedUrl
                + "\" tasks: \"detect\" }\n");
    return file;
  }

  /** A loopback URL nobody listens on. */
  private static String refusedUrl() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort() + "/nothing";
    }
  }

  private static long series(String metrics, String name, String source) {
    Matcher m =
        Pattern.compile("^" + name + "\\{source=\"" + source + "\"\\} (\\d+)$", Pattern.MULTILINE)
            .matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long plain(String metrics, String name) {
    Matcher m = Pattern.compile("^" + name + " (\\d+)$", Pattern.MULTILINE).matcher(metrics);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Test
  void theDaemonProcessInfersTheProfilesCameraAndCountsItInMetrics() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    try (MjpegServer camera = MjpegServer.looping(Scenes.frames(4, 64, 48), 40);
        DaemonProcess daemon =
            DaemonProcess.start(
                profile(card, camera.url(), refusedUrl()), dir.resolve("stderr.txt"))) {
      ApiClient api = new ApiClient(daemon.port, null);
      HttpResponse<byte[]> r =
          api.post("/v1/bundles", MicroFixtures.detection("detect", 1, 1).toBytes());
      assertEquals(201, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
      long[] last = new long[1];
      Await.until(
          30_000,
          () -> {
            try {
              String m = new String(api.get("/metrics").body(), StandardCharsets.UTF_8);
              last[0] = series(m, "promptedge_source_frames_inferred_total", "cam");
              return plain(m, "promptedge_backbone_batches_total") >= 3 && last[0] >= 3;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          },
          () -> "frames inferred: " + last[0]);
      r = api.post("/v1/infer", Scenes.png(64, 48, 9));
      assertEquals(200, r.statusCode(), "the API answers beside the sources");
      String m = new String(api.get("/metrics").body(), StandardCharsets.UTF_8);
      assertEquals(1, series(m, "promptedge_source_connected", "cam"), m);
      assertEquals(0, series(m, "promptedge_source_connected", "gone"), m);
      assertTrue(series(m, "promptedge_source_stream_errors_total", "gone") >= 1, m);
      assertTrue(series(m, "promptedge_source_frames_total", "cam") >= 3, m);
      assertTrue(series(m, "promptedge_source_latency_seconds_count", "cam") >= 3, m);
      assertTrue(
          m.contains("promptedge_source_frame_failures_total{source=\"cam\",reason=\"decode\"} 0"),
          m);
      String log = daemon.stderrText();
      assertTrue(
          log.contains("source cam: reading " + camera.url() + " at up to 10.0 fps, tasks (all"),
          log);
      assertTrue(log.contains("source gone: reading"), log);
    }
  }

  @Test
  void anInProcessDaemonPublishesToItsHubAndStopsItsSourcesOnClose() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    try (MjpegServer camera = MjpegServer.looping(Scenes.frames(3, 48, 40), 30)) {
      Daemon daemon =
          Daemon.start(
              DeviceProfile.read(profile(card, camera.url(), refusedUrl())),
              new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
      try (daemon;
          ResultsHub.Subscription sub = daemon.sources().hub().subscribe(64)) {
        daemon.control().install(MicroFixtures.segmentation("segment", 3, 2).toBytes());
        FrameResults r =
            Await.results(sub, 20_000, x -> x.source().equals("cam") && !x.results().isEmpty());
        assertEquals(List.of("segment:3"), Await.names(r));
        assertEquals(
            List.of("cam", "gone"),
            daemon.sources().statuses().stream().map(SourceStatus::name).toList());
      }
      assertEquals(List.of(), daemon.sources().statuses(), "closing the daemon stops the sources");
      Await.until(5_000, () -> camera.open() == 0, () -> "camera connection still open");
    }
  }
}
