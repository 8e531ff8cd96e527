package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.ApiError;
import dev.promptedge.format.FrameEvent;
import dev.promptedge.format.SourceInfo;
import dev.promptedge.format.SourceList;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.config.DeviceProfile;
import dev.promptedge.runtime.daemon.serving.DaemonLog;
import dev.promptedge.runtime.fixtures.Await;
import dev.promptedge.runtime.fixtures.MicroFixtures;
import dev.promptedge.runtime.fixtures.MjpegServer;
import dev.promptedge.runtime.fixtures.Scenes;
import dev.promptedge.runtime.json.ProtoJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/sources}: a real daemon's sources listed, added, replaced and removed at runtime while
 * its profile's camera keeps streaming events.
 */
class DaemonSourcesApiTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private static SourceInfo info(HttpResponse<byte[]> r) {
    return ProtoJson.merge(ApiClient.text(r), SourceInfo.newBuilder()).build();
  }

  /** The next frame event of {@code source}, skipping the others. */
  private static FrameEvent next(SseClient events, String source) throws Exception {
    return ProtoJson.merge(
            events
                .next(
                    e -> e.name().equals("frame") && e.data().contains("\"source\":\"" + source),
                    20_000)
                .orElseThrow(() -> new AssertionError("no event of " + source))
                .data(),
            FrameEvent.newBuilder())
        .build();
  }

  @Test
  void sourcesAreAddedReplacedAndRemovedUnderLoad() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    try (MjpegServer door = MjpegServer.looping(Scenes.frames(3, 64, 48), 10);
        MjpegServer first = MjpegServer.looping(Scenes.frames(2, 80, 60), 20);
        MjpegServer second = MjpegServer.looping(Scenes.frames(2, 96, 72), 20)) {
      Path profile =
          TestProfiles.withLines(
              dir.resolve("board.textproto"),
              card,
              dir.resolve("store"),
              "sources { name: \"door\" url: \"" + door.url() + "\" }\n");
      try (Daemon daemon =
          Daemon.start(
              DeviceProfile.read(profile),
              new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)))) {
        daemon.control().install(MicroFixtures.detection("detect", 1, 1).toBytes());
        int port = daemon.address().getPort();
        ApiClient api = new ApiClient(port, null);
        try (SseClient events = SseClient.open("http://127.0.0.1:" + port + "/v1/events", null)) {
          next(events, "door");

          SourceList list =
              ProtoJson.merge(ApiClient.text(api.get("/v1/sources")), SourceList.newBuilder())
                  .build();
          assertEquals(1, list.getFormatVersion());
          assertEquals(
              List.of("door"), list.getSourcesList().stream().map(SourceInfo::getName).toList());
          assertEquals(door.url(), list.getSources(0).getUrl());

          // Added while the door streams: it starts at once and its frames reach the events.
          HttpResponse<byte[]> added =
              api.put(
                  "/v1/sources/yard",
                  "{\"url\": \"" + first.url() + "\", \"fps\": 20, \"tasks\": [\"detect\"]}");
          assertEquals(201, added.statusCode(), ApiClient.text(added));
          SourceInfo yard = info(added);
          assertEquals("yard", yard.getName());
          assertEquals(first.url(), yard.getUrl());
          assertEquals(20.0, yard.getFps());
          assertEquals(List.of("detect"), yard.getTasksList());
          FrameEvent fromFirst = next(events, "yard");
          assertEquals(80, fromFirst.getResults(0).getImageWidth());
          next(events, "door");
          Await.until(
              10_000,
              () -> {
                try {
                  SourceInfo now = info(api.get("/v1/sources/yard"));
                  return now.getState().equals("CONNECTED") && now.getFramesInferred() > 0;
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              },
              () -> "yard never inferred");

          // Replaced: the old stream is closed, the new one read.
          HttpResponse<byte[]> replaced =
              api.put(
                  "/v1/sources/yard", "{\"name\": \"yard\", \"url\": \"" + second.url() + "\"}");
          assertEquals(200, replaced.statusCode(), ApiClient.text(replaced));
          assertEquals(List.of(), info(replaced).getTasksList(), "no tasks: every installed one");
          Await.until(5_000, () -> first.open() == 0, () -> "the replaced camera is still read");
          FrameEvent fromSecond;
          do {
            fromSecond = next(events, "yard");
          } while (fromSecond.getResults(0).getImageWidth() == 80);
          assertEquals(96, fromSecond.getResults(0).getImageWidth());
          assertEquals(1, second.accepted());

          // Removed: 204, then 404; its camera is let go and the door keeps streaming.
          assertEquals(204, api.delete("/v1/sources/yard").statusCode());
          Await.until(5_000, () -> second.open() == 0, () -> "the removed camera is still read");
          HttpResponse<byte[]> gone = api.get("/v1/sources/yard");
          assertEquals(404, gone.statusCode());
          assertEquals("unknown_source", ApiClient.error(gone).getCode());
          assertEquals(404, api.delete("/v1/sources/yard").statusCode());
          long doorSequence = next(events, "door").getSequence();
          assertTrue(next(events, "door").getSequence() > doorSequence);
          assertTrue(
              logged.toString().contains("source yard: removed through the API"),
              logged.toString());
        }
      }
    }
  }

  @Test
  void badSettingsAreRefusedNamingTheField() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    Path profile =
        TestProfiles.write(
            dir.resolve("board.textproto"), card, dir.resolve("store"), "", 0, List.of(), 0);
    try (Daemon daemon =
        Daemon.start(
            DeviceProfile.read(profile),
            new DaemonLog(new PrintStream(logged, true, StandardCharsets.UTF_8)))) {
      ApiClient api = new ApiClient(daemon.address().getPort(), null);
      assertRefused(
          api, "cam", "{\"url\": \"ftp://camera/stream\"}", "url must start with http://");
      assertRefused(api, "cam", "{\"url\": \"http://camera/\", \"fps\": -2}", "fps must be 0");
      assertRefused(
          api,
          "cam",
          "{\"url\": \"http://camera/\", \"tasks\": [\"a\", \"a\"]}",
          "name a task twice");
      assertRefused(api, "cam", "{\"url\": \"http://camera/\", \"colour\": 1}", "colour");
      assertRefused(api, "cam", "not json", "is not SourceSettings JSON");
      assertRefused(
          api, "cam", "{\"name\": \"other\", \"url\": \"http://camera/\"}", "name: 'other'");
      assertRefused(api, "bad%20name", "{\"url\": \"http://camera/\"}", "source name must be");
      assertEquals(0, daemon.sources().statuses().size(), "nothing was started");
      assertEquals(405, api.post("/v1/sources", new byte[0]).statusCode());
      HttpResponse<byte[]> missing = api.get("/v1/sources/nowhere");
      assertEquals(404, missing.statusCode());
      assertTrue(ApiClient.error(missing).getMessage().contains("'nowhere'"));
    }
  }

  private static void assertRefused(ApiClient api, String name, String body, String fragment)
      throws Exception {
    HttpResponse<byte[]> r = api.put("/v1/sources/" + name, body);
    assertEquals(400, r.statusCode(), ApiClient.text(r));
    ApiError e = ApiClient.error(r);
    assertEquals("bad_source", e.getCode(), ApiClient.text(r));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }
}
