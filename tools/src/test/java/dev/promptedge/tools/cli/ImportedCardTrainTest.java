package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.importer.TfjsFixture;
import dev.promptedge.tools.train.TrainData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on an imported TF.js backbone: {@code train} (prompt and linear-probe) and {@code
 * bundle pack} on its card, and the runtime installs each bundle (its self-test passes).
 */
class ImportedCardTrainTest {

  @TempDir Path dir;

  @Test
  void trainAndPackOnAnImportedCardInstallInTheRuntime() throws Exception {
    Path json = TfjsFixture.write(dir.resolve("tfjs"));
    Path out = dir.resolve("backbone");
    Cli.run(
            "backbone",
            "import",
            "--model",
            json.toString(),
            "--out",
            out.toString(),
            "--name",
            "fixture",
            "--input-size",
            "32x32",
            "--features",
            "leaky,pool",
            "--prompt",
            "pixel",
            "--prompt",
            "channel",
            "--prompt-blocks",
            "leaky",
            "--normalization",
            "0.5,0.25")
        .expect(0);
    CardFile card = CardFile.read(out.resolve("fixture" + CardFile.SUFFIX));
    Path data = TrainData.generate(dir.resolve("data"), 16, 4);

    Path prompt = train(card, data, "prompt", dir.resolve("prompt.bundle"));
    PromptBundle b =
        new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(prompt)).bundle();
    assertEquals(
        List.of("pixel_prompt", "scale_shift_0"), List.copyOf(BundleInputs.prompts(b).keySet()));
    assertEquals(List.of("features_s2"), BundleInputs.headFeatures(b));
    Path probe = train(card, data, "linear-probe", dir.resolve("probe.bundle"));
    assertEquals(
        0,
        new BundleReader(card, Long.MAX_VALUE)
            .read(Files.readAllBytes(probe))
            .bundle()
            .getPromptsCount(),
        "a linear probe carries no prompt");
    Path channel =
        train(card, data, "prompt", dir.resolve("channel.bundle"), "--prompts", "channel");
    PromptBundle c =
        new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(channel)).bundle();
    assertEquals(List.of("scale_shift_0"), List.copyOf(BundleInputs.prompts(c).keySet()));
    assertTrue(Files.size(channel) < Files.size(prompt), "the pixel prompt is left out");

    Cli throughput =
        Cli.run(
                "backbone",
                "throughput",
                "--card",
                card.path().toString(),
                "--batch",
                "2",
                "--steps",
                "1",
                "--warmup",
                "0",
                "--threads",
                "1")
            .expect(0);
    assertTrue(
        throughput
            .out()
            .matches("(?s).*fixture +host train step \\(fwd\\+bwd, prompt grad\\) +2 .*"),
        throughput.out());

    Path packed = dir.resolve("packed.bundle");
    Cli.run(
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
            "--out",
            packed.toString())
        .expect(0);

    try (Backbone backbone = Backbone.open(card, false, InterpreterConfig.defaults());
        TaskEngine engine =
            TaskEngine.open(
                backbone, BundleStore.open(dir.resolve("store")), EngineSettings.defaults())) {
      for (Path bundle : List.of(prompt, probe, channel, packed)) {
        engine.install(Files.readAllBytes(bundle)); // runs the self-test; throws if it fails
      }
    }
  }

  private static Path train(CardFile card, Path data, String mode, Path out, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "train",
                "--task",
                "segmentation",
                "--backbone",
                card.path().toString(),
                "--data",
                data.resolve("segmentation").toString(),
                "--mode",
                mode,
                "--epochs",
                "1",
                "--batch",
                "8",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    Cli train = Cli.run(args.toArray(String[]::new)).expect(0);
    Matcher m = Pattern.compile("max abs difference (\\S+)").matcher(train.out());
    assertTrue(m.find(), train.out());
    assertTrue(Float.parseFloat(m.group(1)) < 1e-3f, train.out());
    return out;
  }
}
