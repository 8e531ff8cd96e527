package dev.promptedge.tools.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.graph.ReferenceHead;
import dev.promptedge.tools.graph.ReferenceVit;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.pack.SelfTestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A micro backbone built from seeded weights, a detection and a segmentation bundle with known head
 * weights, both installed in one engine and run on a real PNG file, switching between them. Every
 * head output is compared with a plain-Java reference computed from the same weights.
 */
class EndToEndTest {

  @TempDir Path dir;

  @Test
  void twoTasksOnOneBackboneMatchThePlainJavaReference() throws Exception {
    MicroSetup setup = new MicroSetup(dir, false);
    MicroSetup.Packed detect = setup.detection("shapes-detect", 1, 21);
    MicroSetup.Packed segment = setup.segmentation("shapes-segment", 1, 22);

    Path png = dir.resolve("scene.png");
    ImageIO.write(SelfTestImages.synthetic(32, 32, 99), "png", png.toFile());
    byte[] pngBytes = Files.readAllBytes(png);
    float[] pixels = referencePixels(ImageIO.read(png.toFile()), setup);

    long backbonesBefore = SignatureRunner.interpretersCreated(VitBuilder.SIGNATURE);
    try (Backbone backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG);
        TaskEngine engine =
            TaskEngine.open(backbone, BundleStore.open(dir.resolve("store")), settings())) {
      engine.install(detect.bundle().toBytes());
      engine.install(segment.bundle().toBytes());
      assertEquals("shapes-detect", engine.active().orElseThrow(), "first install becomes active");

      BufferedImage image = new ImageDecoder().decode(pngBytes);
      InferenceResult first = engine.infer(TaskRequest.active(image));
      assertEquals("shapes-detect", first.bundleName());
      assertEquals(1, first.bundleVersion());
      assertEquals(TaskKind.DETECTION, first.task());
      assertInstanceOf(TaskOutput.Detections.class, first.output());
      assertClose(reference(setup, detect, pixels, TaskKind.DETECTION), first.headOutput());

      engine.activate("shapes-segment");
      InferenceResult second = engine.infer(TaskRequest.active(image));
      assertEquals("shapes-segment", second.bundleName());
      assertEquals(TaskKind.SEGMENTATION, second.task());
      TaskOutput.Segmentation mask =
          assertInstanceOf(TaskOutput.Segmentation.class, second.output());
      assertEquals(32, mask.mask().width());
      assertEquals(32, mask.mask().height());
      assertClose(reference(setup, segment, pixels, TaskKind.SEGMENTATION), second.headOutput());

      engine.activate("shapes-detect");
      InferenceResult third = engine.infer(TaskRequest.active(image));
      assertEquals("shapes-detect", third.bundleName());
      assertClose(first.headOutput(), third.headOutput());
    }
    assertEquals(
        1,
        SignatureRunner.interpretersCreated(VitBuilder.SIGNATURE) - backbonesBefore,
        "the backbone interpreter must be created exactly once across installs and switches");
  }

  static EngineSettings settings() {
    return new EngineSettings(MicroSetup.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20);
  }

  /** Normalizes an image that already has the model's size, straight from the card's numbers. */
  static float[] referencePixels(BufferedImage image, MicroSetup setup) {
    var n = setup.card.card().getNormalization();
    float[] pixels = new float[image.getWidth() * image.getHeight() * 3];
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
        for (int c = 0; c < 3; c++) {
          pixels[(y * image.getWidth() + x) * 3 + c] =
              (channels[c] / 255f - n.getMean(c)) / n.getStd(c);
        }
      }
    }
    return pixels;
  }

  static float[] reference(
      MicroSetup setup, MicroSetup.Packed packed, float[] pixels, TaskKind kind) {
    float[] features = ReferenceVit.encode(setup.spec, setup.weights, pixels, packed.prompt(), 1);
    return ReferenceHead.apply(
        kind,
        packed.head(),
        features,
        1,
        setup.spec.gridHeight(),
        setup.spec.gridWidth(),
        setup.spec.embedDim());
  }

  static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length, "output length");
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= 1e-4, "max abs error " + worst + " > 1e-4");
  }
}
