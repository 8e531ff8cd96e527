package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.train.TrainData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train}, {@code bundle inspect} and {@code eval} on a contract v2 card that has no token
 * input: the promptable micro CNN with a PIXEL and a CHANNEL_SCALE_SHIFT prompt.
 */
class PromptableCardCliTest {

  @TempDir Path dir;

  @Test
  void trainInspectAndEvalWorkFromTheCardsPromptInputsAndFeatureOutputs() throws Exception {
    Path data = TrainData.generate(dir.resolve("data"), 24, 8);
    CardFile card =
        CnnFiles.writePromptableCnn(
            Files.createDirectories(dir.resolve("cnn")),
            "micro-cnn-v2",
            5,
            Provenance.newBuilder().setCommand("test").build());
    Path out = dir.resolve("masks.bundle");
    Cli train =
        Cli.run(
                "train",
                "--task",
                "segmentation",
                "--backbone",
                card.path().toString(),
                "--data",
                data.resolve("segmentation").toString(),
                "--mode",
                "prompt",
                "--epochs",
                "2",
                "--batch",
                "8",
                "--out",
                out.toString())
            .expect(0);
    Matcher m = Pattern.compile("max abs difference (\\S+)").matcher(train.out());
    assertTrue(m.find(), train.out());
    assertTrue(Float.parseFloat(m.group(1)) < 1e-3f, train.out());

    PromptBundle b = new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(out)).bundle();
    assertEquals(
        List.of(CnnBuilder.PIXEL_PROMPT, CnnBuilder.SCALE_SHIFT),
        List.copyOf(BundleInputs.prompts(b).keySet()));
    assertEquals(List.of(CnnBuilder.FEATURES_S8), BundleInputs.headFeatures(b));
    assertEquals(
        32 * 32 * 3 + 2 * 8 + 17 * b.getLabelsCount(),
        b.getMetricsOrThrow("trainable_parameters"),
        0.5);

    Cli inspect =
        Cli.run("bundle", "inspect", out.toString(), "--backbone", card.path().toString())
            .expect(0);
    String text = inspect.out();
    assertTrue(text.contains("prompt      pixel_prompt [32, 32, 3] float32, 12288 bytes"), text);
    assertTrue(text.contains("prompt      scale_shift_0 [2, 8] float32, 64 bytes"), text);
    assertTrue(text.contains("card input  scale_shift_0 CHANNEL_SCALE_SHIFT [2, 8] after"), text);
    assertTrue(
        text.contains("card output features_s8 stride 8 [4, 4, 16] (read by the head)"), text);

    Path report = dir.resolve("eval");
    Cli.run(
            "eval",
            "--bundle",
            out.toString(),
            "--backbone",
            card.path().toString(),
            "--data",
            data.resolve("segmentation").toString(),
            "--split",
            "val",
            "--threads",
            "1",
            "--images",
            "2",
            "--out",
            report.toString())
        .expect(0);
    String metrics = Files.readString(report.resolve("metrics.json"));
    assertTrue(metrics.contains("miou"), metrics);
  }

  @Test
  void packNamesTheFeatureOutputsTheHeadReads() throws Exception {
    CardFile card =
        CnnFiles.writePromptableCnn(
            Files.createDirectories(dir.resolve("cnn")),
            "micro-cnn-v2",
            5,
            Provenance.newBuilder().setCommand("test").build());
    Path ok = dir.resolve("ok.bundle");
    pack(card, ok, CnnBuilder.FEATURES_S8).expect(0);
    PromptBundle b = new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(ok)).bundle();
    assertEquals(List.of(CnnBuilder.FEATURES_S8), BundleInputs.headFeatures(b));
    assertEquals(2, BundleInputs.prompts(b).size(), "seeded pixel and scale/shift prompts");

    Path refused = dir.resolve("refused.bundle");
    Cli cli = pack(card, refused, CnnBuilder.FEATURES_S16).expect(1);
    String line = cli.oneErrorLine();
    assertTrue(line.contains("must take [features_s16]"), line);
    assertTrue(Files.notExists(refused));
  }

  private static Cli pack(CardFile card, Path out, String headFeatures) {
    return Cli.run(
        "bundle",
        "pack",
        "--backbone",
        card.path().toString(),
        "--task",
        "segmentation",
        "--name",
        "masks",
        "--labels",
        "background,circle,square",
        "--head-features",
        headFeatures,
        "--out",
        out.toString());
  }
}
