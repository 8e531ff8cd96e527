package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.BundleSelfTest;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.e2e.MicroSetup;
import dev.promptedge.tools.train.TrainData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

  @TempDir Path dir;

  @Test
  void trainedBundleInstallsAndTheDeviceReproducesTheHostGraph() throws Exception {
    Path data = TrainData.generate(dir.resolve("data"), 32, 8);
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    byte[] backboneBefore = Files.readAllBytes(setup.card.modelPath(false));
    Path out = dir.resolve("shapes.bundle");
    Cli cli =
        Cli.run(
                "train",
                "--task",
                "detection",
                "--backbone",
                setup.card.path().toString(),
                "--data",
                data.resolve("detection").toString(),
                "--mode",
                "prompt",
                "--epochs",
                "2",
                "--batch",
                "8",
                "--checkpoint",
                dir.resolve("ckpt").toString(),
                "--out",
                out.toString())
            .expect(0);
    assertTrue(cli.out().contains("epoch 2/2 train loss"), cli.out());
    assertTrue(Files.size(dir.resolve("shapes.loss.png")) > 1000);
    assertTrue(Files.size(dir.resolve("shapes.metric.png")) > 1000);
    assertTrue(Files.isRegularFile(dir.resolve("ckpt/checkpoint.bin")));
    assertArrayEquals(backboneBefore, Files.readAllBytes(setup.card.modelPath(false)));

    Matcher m = Pattern.compile("max abs difference (\\S+)").matcher(cli.out());
    assertTrue(m.find(), cli.out());
    assertTrue(Float.parseFloat(m.group(1)) < 1e-3f, cli.out());

    Bundle bundle = new BundleReader(setup.card, Long.MAX_VALUE).read(Files.readAllBytes(out));
    assertEquals(TaskKind.DETECTION, bundle.bundle().getTask());
    assertTrue(bundle.bundle().getMetricsMap().containsKey("val_map"), bundle.toString());
    // The shipped threshold is the one the command reports, with its val F1.
    Matcher t =
        Pattern.compile("deployed score threshold (\\S+): val F1 (\\S+)").matcher(cli.out());
    assertTrue(t.find(), cli.out());
    float threshold = bundle.bundle().getPostProcessing().getDetection().getScoreThreshold();
    assertEquals(Float.parseFloat(t.group(1)), threshold, 5e-4f);
    assertEquals(threshold, bundle.bundle().getMetricsOrThrow("deployed_score_threshold"), 1e-6);
    assertEquals(
        Double.parseDouble(t.group(2)), bundle.bundle().getMetricsOrThrow("val_f1_deployed"), 5e-4);
    try (Backbone backbone = Backbone.open(setup.card, false, MicroSetup.CONFIG)) {
      float[] device = BundleSelfTest.headOutput(backbone, bundle.bundle(), MicroSetup.CONFIG);
      float[] expected = new float[device.length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = bundle.bundle().getSelfTest().getExpectations(0).getOutput().getValues(i);
      }
      assertArrayEquals(expected, device, 1e-4f);
      try (TaskEngine engine =
          TaskEngine.open(
              backbone,
              BundleStore.open(dir.resolve("store")),
              new EngineSettings(
                  MicroSetup.CONFIG, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1 << 20))) {
        engine.install(Files.readAllBytes(out)); // runs the self-test; throws if it fails
      }
    }
  }

  @Test
  void promptDeepOnAShallowCardNamesTheDeepBuild() throws Exception {
    Path data = TrainData.generate(dir.resolve("data"), 8, 4);
    MicroSetup setup = new MicroSetup(Files.createDirectories(dir.resolve("backbone")), false);
    String error =
        Cli.run(
                "train",
                "--task",
                "segmentation",
                "--backbone",
                setup.card.path().toString(),
                "--data",
                data.resolve("segmentation").toString(),
                "--mode",
                "prompt-deep",
                "--out",
                dir.resolve("x.bundle").toString())
            .expect(1)
            .oneErrorLine();
    assertTrue(error.contains("backbone build --deep"), error);
  }
}
