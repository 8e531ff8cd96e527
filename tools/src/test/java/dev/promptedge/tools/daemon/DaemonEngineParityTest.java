package dev.promptedge.tools.daemon;

import static dev.promptedge.runtime.daemon.ApiClient.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.InferResponse;
import dev.promptedge.format.Timings;
import dev.promptedge.runtime.daemon.ApiClient;
import dev.promptedge.runtime.daemon.DaemonProcess;
import dev.promptedge.runtime.daemon.TestProfiles;
import dev.promptedge.runtime.json.ProtoJson;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.onnx.OnnxExport;
import dev.promptedge.tools.pack.SelfTestImages;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One signed bundle installed in a TFLite daemon and in an ONNX Runtime daemon infers alike. */
class DaemonEngineParityTest {

  @TempDir Path dir;

  @Test
  void onnxRuntimeDaemonServesTheTfliteInference() throws Exception {
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    byte[] bundle = setup.detection("detect", 1, 1).bundle().toBytes();
    OnnxExport.export(setup.card);
    InferResponse tflite = serve("tflite", bundle, setup);
    InferResponse ort = serve("onnxruntime", bundle, setup);
    assertTrue(tflite.getDetectionsCount() > 0, "the micro detection head finds something");
    assertEquals(tflite.getDetectionsCount(), ort.getDetectionsCount());
    for (int i = 0; i < tflite.getDetectionsCount(); i++) {
      var a = tflite.getDetections(i);
      var b = ort.getDetections(i);
      assertEquals(a.getLabel(), b.getLabel(), "detection " + i);
      assertEquals(a.getScore(), b.getScore(), 1e-4, "detection " + i);
      assertEquals(a.getXMin(), b.getXMin(), 1e-3, "detection " + i);
      assertEquals(a.getYMin(), b.getYMin(), 1e-3, "detection " + i);
      assertEquals(a.getXMax(), b.getXMax(), 1e-3, "detection " + i);
      assertEquals(a.getYMax(), b.getYMax(), 1e-3, "detection " + i);
    }
    assertEquals(
        tflite.toBuilder().setTimings(Timings.getDefaultInstance()).clearDetections().build(),
        ort.toBuilder().setTimings(Timings.getDefaultInstance()).clearDetections().build());
  }

  private InferResponse serve(String engine, byte[] bundle, MicroSetup setup) throws Exception {
    Path profile =
        TestProfiles.write(
            dir.resolve(engine + ".textproto"),
            setup.card,
            dir.resolve("store-" + engine),
            "",
            0,
            List.of(),
            0);
    Files.writeString(
        profile,
        Files.readString(profile)
            .replace("xnnpack: false }", "xnnpack: false engine: \"" + engine + "\" }"));
    try (DaemonProcess daemon = DaemonProcess.start(profile, dir.resolve(engine + ".err"))) {
      ApiClient api = new ApiClient(daemon.port, null);
      HttpResponse<byte[]> r = api.post("/v1/bundles", bundle);
      assertEquals(201, r.statusCode(), text(r));
      r = api.post("/v1/infer", SelfTestImages.syntheticPng(64, 48, 1));
      assertEquals(200, r.statusCode(), text(r));
      return ProtoJson.merge(text(r), InferResponse.newBuilder()).build();
    }
  }
}
