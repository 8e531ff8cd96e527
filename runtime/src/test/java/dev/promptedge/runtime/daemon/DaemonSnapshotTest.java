package dev.promptedge.runtime.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.promptedge.runtime.json.ProtoJson;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/sources/NAME/snapshot.jpg} of a real daemon reading a loopback camera. */
class DaemonSnapshotTest {

  @TempDir Path dir;

  /** A uniform grey JPEG: any colour in a snapshot of it was drawn by the daemon. */
  private static byte[] grey(int w, int h) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", out);
    return out.toByteArray();
  }

  private static boolean coloured(int rgb) {
    int r = rgb >> 16 & 0xFF;
    int g = rgb >> 8 & 0xFF;
    int b = rgb & 0xFF;
    return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 30;
  }

  @Test
  void theLatestFrameComesBackWithItsMaskBlendedInAndItsBoxesDrawn() throws Exception {
    CardFile card = MicroFixtures.backbone(dir.resolve("backbone"));
    Path profile =
        TestProfiles.write(
            dir.resolve("board.textproto"), card, dir.resolve("store"), "", 0, List.of(), 0);
    byte[] frame = grey(96, 72);
    try (MjpegServer stalled =
            new MjpegServer(
                c -> {
                  c.head();
                  c.stall();
                });
        MjpegServer camera = MjpegServer.looping(new byte[][] {frame}, 30);
        Daemon daemon =
            Daemon.start(
                DeviceProfile.read(profile),
                new DaemonLog(new PrintStream(new ByteArrayOutputStream(), true)))) {
      daemon.control().install(MicroFixtures.segmentation("segment", 1, 2).toBytes());
      int port = daemon.address().getPort();
      ApiClient api = new ApiClient(port, null);

      HttpResponse<byte[]> unknown = api.get("/v1/sources/cam/snapshot.jpg");
      assertEquals(404, unknown.statusCode());
      assertEquals("unknown_source", ApiClient.error(unknown).getCode());
      for (String odd : List.of("/v1/sources/snapshot.jpg", "/v1/sources//snapshot.jpg")) {
        HttpResponse<byte[]> r = api.get(odd);
        assertEquals(404, r.statusCode(), odd + ": " + ApiClient.text(r));
      }
      HttpResponse<byte[]> nested = api.get("/v1/sources/a/b/snapshot.jpg");
      assertEquals(404, nested.statusCode(), ApiClient.text(nested));
      assertEquals(
          201, api.put("/v1/sources/quiet", "{\"url\": \"" + stalled.url() + "\"}").statusCode());
      Await.until(5_000, () -> stalled.accepted() == 1, () -> "the stalled camera was not opened");
      HttpResponse<byte[]> early = api.get("/v1/sources/quiet/snapshot.jpg");
      assertEquals(404, early.statusCode(), "no frame yet");
      assertEquals("no_frame_yet", ApiClient.error(early).getCode());

      try (SseClient events = SseClient.open("http://127.0.0.1:" + port + "/v1/events", null)) {
        assertEquals(
            201, api.put("/v1/sources/cam", "{\"url\": \"" + camera.url() + "\"}").statusCode());
        FrameEvent e;
        do {
          e =
              ProtoJson.merge(
                      events
                          .next(
                              x -> x.name().equals("frame") && x.data().contains("\"cam\""), 20_000)
                          .orElseThrow()
                          .data(),
                      FrameEvent.newBuilder())
                  .build();
        } while (e.getResultsCount() == 0);
        InferResponse seg = e.getResults(0);
        assertEquals(TaskKind.SEGMENTATION, seg.getTask());
        long foreground =
            (long) seg.getSegmentation().getWidth() * seg.getSegmentation().getHeight()
                - seg.getSegmentation().getClassPixels(0);
        assertTrue(foreground > 0, "the fixture's head marks some pixels: " + seg);

        HttpResponse<byte[]> r = api.get("/v1/sources/cam/snapshot.jpg");
        assertEquals(200, r.statusCode(), ApiClient.text(r));
        assertEquals("image/jpeg", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(Long.parseLong(r.headers().firstValue("X-Frame-Sequence").orElseThrow()) >= 0);
        BufferedImage snapshot = ImageIO.read(new ByteArrayInputStream(r.body()));
        assertEquals(96, snapshot.getWidth());
        assertEquals(72, snapshot.getHeight());
        long colouredPixels = 0;
        for (int y = 0; y < 72; y++) {
          for (int x = 0; x < 96; x++) {
            colouredPixels += coloured(snapshot.getRGB(x, y)) ? 1 : 0;
          }
        }
        System.out.println(
            "snapshot: " + colouredPixels + " coloured pixels, " + foreground + " in the mask");
        // Every frame is the same, so every frame has the same mask; JPEG blurs its edges.
        assertTrue(
            Math.abs(colouredPixels - foreground) <= Math.max(40, foreground / 3),
            colouredPixels + " coloured pixels for " + foreground + " foreground pixels");
        assertEquals(405, api.delete("/v1/sources/cam/snapshot.jpg").statusCode());

        // A source running detection only: the boxes' edges are coloured on the grey frame.
        daemon.control().install(MicroFixtures.detection("detect", 1, 1).toBytes());
        assertEquals(
            201,
            api.put(
                    "/v1/sources/boxes",
                    "{\"url\": \"" + camera.url() + "\", \"tasks\": [\"detect\"]}")
                .statusCode());
        FrameEvent d;
        do {
          d =
              ProtoJson.merge(
                      events
                          .next(
                              x -> x.name().equals("frame") && x.data().contains("\"boxes\""),
                              20_000)
                          .orElseThrow()
                          .data(),
                      FrameEvent.newBuilder())
                  .build();
        } while (d.getResultsCount() == 0);
        assertTrue(d.getResults(0).getDetectionsCount() > 0, "the fixture's head finds boxes");
        BufferedImage boxes =
            ImageIO.read(
                new ByteArrayInputStream(api.get("/v1/sources/boxes/snapshot.jpg").body()));
        assertEquals(96, boxes.getWidth());
        for (var box : d.getResults(0).getDetectionsList()) {
          int x = Math.min(95, Math.max(0, Math.round(box.getXMin())));
          int y = Math.min(71, Math.max(0, Math.round((box.getYMin() + box.getYMax()) / 2)));
          assertTrue(
              coloured(boxes.getRGB(x, y)),
              "left edge of "
                  + box
                  + " at "
                  + x
                  + ","
                  + y
                  + ": "
                  + Integer.toHexString(boxes.getRGB(x, y)));
        }
      }
    }
  }
}
