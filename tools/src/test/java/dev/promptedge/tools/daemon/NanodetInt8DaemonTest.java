package dev.promptedge.tools.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.InstallResponse;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.json.ProtoJson;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real daemon serves the committed NanoDet-g demo bundles from the int8 model alone: the card
 * names a float model that is not there (it is not committed), and nothing needs it.
 */
class NanodetInt8DaemonTest {

  private static final Path MODELS = Path.of("..", "models", "nanodet");
  private static final String TOKEN = "nanodet-token-51c2";

  @TempDir Path dir;

  @Test
  void servesBothBundlesOnTheInt8ModelWithoutTheFloatFile() throws Exception {
    Path backbone = Files.createDirectories(dir.resolve("backbone"));
    for (String name : List.of("nanodet-g-128.card.textproto", "nanodet-g-128-int8.tflite")) {
      Files.copy(MODELS.resolve(name), backbone.resolve(name));
    }
    Path card = backbone.resolve("nanodet-g-128.card.textproto");
    assertFalse(Files.exists(backbone.resolve("nanodet-g-128.tflite")));
    Path profile =
        Files.writeString(
            dir.resolve("profile.textproto"),
            String.join(
                "\n",
                "format_version: 1",
                "board: \"x86_64-test\"",
                "backbone_card: \"" + card.toAbsolutePath() + "\"",
                "use_quantized: true",
                "interpreter { threads: 1 xnnpack: false }",
                "store { directory: \"" + dir.resolve("store") + "\" max_bundle_bytes: 1048576 }",
                "api { bind_address: \"127.0.0.1\" port: 0 token: \"" + TOKEN + "\" }",
                ""));
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve("stderr.txt"))) {
      assertTrue(daemon.readyLine.contains("int8"), daemon.readyLine);
      ApiClient api = new ApiClient(daemon.port, TOKEN);
      for (String task : List.of("nanodet-detect", "nanodet-segment")) {
        HttpResponse<byte[]> r =
            api.post("/v1/bundles", Files.readAllBytes(MODELS.resolve(task + ".bundle")));
        assertEquals(201, r.statusCode(), text(r));
        assertEquals(
            task, ProtoJson.merge(text(r), InstallResponse.newBuilder()).build().getName());
      }
      // Demo scene 000001 holds one dress at (20,28)-(37,64); the demo finds it on int8.
      byte[] scene =
          Files.readAllBytes(
              Path.of(
                  "..", "models", "demo", "scenes", "detection", "val", "images", "000001.png"));
      InferResponse detect = infer(api, "/v1/infer?task=nanodet-detect", scene);
      assertEquals("nanodet-detect", detect.getBundleName());
      DetectionBox dress =
          detect.getDetectionsList().stream()
              .filter(b -> b.getLabel().equals("dress"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no dress in " + detect));
      assertEquals(20, dress.getXMin(), 3);
      assertEquals(64, dress.getYMax(), 3);
      InferResponse segment = infer(api, "/v1/infer?task=nanodet-segment", scene);
      assertEquals(
          64 * 64, segment.getSegmentation().getClassPixelsList().stream().mapToLong(l -> l).sum());
    }
  }

  private static InferResponse infer(ApiClient api, String path, byte[] png) throws Exception {
    HttpResponse<byte[]> r = api.post(path, png);
    assertEquals(200, r.statusCode(), text(r));
    return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
  }
}
