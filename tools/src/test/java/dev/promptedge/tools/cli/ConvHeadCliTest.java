package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.pack.SelfTestImages;
import dev.promptedge.tools.train.TrainData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --head conv} on the promptable micro CNN: the bundle records its head, installs
 * through the runtime (the head verifier accepts the conv ops, the self-test passes), and the
 * device's head output equals the host engine's on the same features.
 */
class ConvHeadCliTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());

  @TempDir Path dir;

  @Test
  void convHeadTrainsPacksInstallsAndAgreesWithTheHost() throws Exception {
    Path data = TrainData.generate(dir.resolve("data"), 24, 8);
    CardFile card =
        CnnFiles.writePromptableCnn(
            Files.createDirectories(dir.resolve("cnn")),
            "micro-cnn-v2",
            5,
            Provenance.newBuilder().setCommand("test").build());
    Path out = dir.resolve("boxes.bundle");
    Cli train =
        Cli.run(
                "train",
                "--task",
                "detection",
                "--backbone",
                card.path().toString(),
                "--data",
                data.resolve("detection").toString(),
                "--mode",
                "linear-probe",
                "--head",
                "conv",
                "--epochs",
                "2",
                "--batch",
                "8",
                "--score-threshold",
                "0.3",
                "--out",
                out.toString())
            .expect(0);
    assertTrue(train.out().contains("linear-probe, conv head"), train.out());
    Matcher m = Pattern.compile("max abs difference (\\S+)").matcher(train.out());
    assertTrue(m.find(), train.out());
    assertTrue(Float.parseFloat(m.group(1)) < 1e-4f, train.out());

    PromptBundle b = new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(out)).bundle();
    byte[] head = b.getHead().toByteArray();
    assertEquals(1.0, b.getMetricsOrThrow("head_conv_blocks"));
    assertEquals(head.length, b.getMetricsOrThrow("head_bytes"), 0.5);
    assertTrue(
        b.getProvenance().getNotesList().stream().anyMatch(n -> n.startsWith("head conv (1 ")),
        b.getProvenance().toString());
    assertTrue(b.getProvenance().getCommand().contains("--head conv"));
    TfliteGraph graph = TfliteGraph.read(head, HeadBuilder.SIGNATURE);
    assertTrue(
        graph.operatorNames().contains("DEPTHWISE_CONV_2D"), graph.operatorNames()::toString);
    int d = CnnBuilder.DIM;
    int outputs = b.getLabelsCount() + HeadBuilder.DETECTION_EXTRA;
    assertEquals(
        (9 * d + d + d * d + d) + (d + 1) * outputs,
        b.getMetricsOrThrow("trainable_parameters"),
        0.5);
    try (HeadModel opened = HeadModel.open(b, card, CONFIG)) {
      assertEquals(4 * 4 * outputs, opened.outputSize());
    }

    BufferedImage image = SelfTestImages.synthetic(32, 32, 4);
    try (Backbone backbone = Backbone.open(card, false, CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      engine.install(Files.readAllBytes(out));
      float[] device = engine.infer(TaskRequest.active(image)).headOutput();
      float[] features =
          backbone
              .encode(Preprocessor.forCard(card.card()).prepare(image).pixels(), Map.of(), 1)
              .get(CnnBuilder.FEATURES_S8);
      float[] host;
      try (GraphExecutor exec = GraphExecutor.builder(graph).build()) {
        host = exec.run(Map.of(CnnBuilder.FEATURES_S8, features), 1).get(HeadBuilder.OUTPUTS);
      }
      assertArrayEquals(host, device, 1e-4f);
    }
  }
}
