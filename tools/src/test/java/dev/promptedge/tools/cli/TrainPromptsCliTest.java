package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SelfTestImages;
import dev.promptedge.tools.train.TrainData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --prompts} on the promptable micro CNN (a PIXEL and a CHANNEL_SCALE_SHIFT input):
 * only the chosen kinds learn and travel in the bundle, an absent prompt runs as its identity, and
 * options that name a kind the card lacks or contradict {@code --mode} get one clear line.
 */
class TrainPromptsCliTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());
  static final String KINDS = "micro-cnn-v2 has prompt kinds pixel (pixel_prompt), channel";

  @TempDir static Path dir;
  static CardFile card;
  static Path data;

  @BeforeAll
  static void setUp() throws Exception {
    data = TrainData.generate(dir.resolve("data"), 16, 4).resolve("segmentation");
    card =
        CnnFiles.writePromptableCnn(
            Files.createDirectories(dir.resolve("cnn")),
            "micro-cnn-v2",
            5,
            Provenance.newBuilder().setCommand("test").build());
  }

  private static Cli train(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--task",
                "segmentation",
                "--backbone",
                card.path().toString(),
                "--data",
                data.toString(),
                "--epochs",
                "1",
                "--batch",
                "8",
                "--lr",
                "0.05",
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static PromptBundle read(Path bundle) throws Exception {
    return new BundleReader(card, Long.MAX_VALUE).read(Files.readAllBytes(bundle)).bundle();
  }

  @Test
  void promptsChannelTrainsAndShipsOnlyTheChannelPromptAndTheAbsentPixelPromptIsTheIdentity()
      throws Exception {
    Path all = dir.resolve("all.bundle");
    Path channel = dir.resolve("channel.bundle");
    train(all).expect(0);
    Cli cli = train(channel, "--prompts", "channel").expect(0);
    assertTrue(cli.out().contains("(prompt, linear head, prompts channel)"), cli.out());

    PromptBundle b = read(channel);
    Map<String, float[]> prompts = BundleInputs.prompts(b);
    assertEquals(List.of(CnnBuilder.SCALE_SHIFT), List.copyOf(prompts.keySet()));
    float[] identity = card.promptInput(CnnBuilder.SCALE_SHIFT).orElseThrow().identity();
    assertFalse(
        java.util.Arrays.equals(identity, prompts.get(CnnBuilder.SCALE_SHIFT)), "did not learn");
    assertEquals(2 * 8 + 17 * b.getLabelsCount(), b.getMetricsOrThrow("trainable_parameters"), 0.5);
    assertTrue(
        b.getProvenance().getNotesList().stream()
            .anyMatch(
                n ->
                    n.equals(
                        "prompts trained: scale_shift_0 (channel); at identity, absent:"
                            + " pixel_prompt")),
        b.getProvenance().getNotesList().toString());
    long saved = Files.size(all) - Files.size(channel);
    assertTrue(saved > 12_000, "the pixel prompt's 12288 bytes are gone, saved " + saved);

    // The same bundle with the pixel prompt spelled out as its identity infers the same outputs.
    Map<String, float[]> explicit = new LinkedHashMap<>(prompts);
    explicit.put(
        CnnBuilder.PIXEL_PROMPT,
        card.promptInput(CnnBuilder.PIXEL_PROMPT).orElseThrow().identity());
    BundleContents spelled = BundleContents.of(b);
    spelled =
        new BundleContents(
            "spelled",
            spelled.task(),
            1,
            spelled.labels(),
            explicit,
            spelled.head(),
            spelled.headFeatures(),
            spelled.postProcessing(),
            spelled.selfTestPng(),
            spelled.metrics(),
            spelled.provenance());
    Bundle withIdentity = BundlePacker.pack(card, spelled, CONFIG);
    assertEquals(2, withIdentity.bundle().getPromptsCount());
    BufferedImage image = SelfTestImages.synthetic(40, 40, 4);
    try (Backbone backbone = Backbone.open(card, false, CONFIG);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(
                    CONFIG,
                    EngineSettings.DEFAULT_RESIDENT_BUDGET,
                    BundleReader.DEFAULT_MAX_BYTES))) {
      engine.install(Files.readAllBytes(channel)); // runs the device self-test
      engine.install(withIdentity.toBytes());
      float[] absent = engine.infer(TaskRequest.of(image, b.getName())).headOutput();
      float[] spelledOut = engine.infer(TaskRequest.of(image, "spelled")).headOutput();
      assertArrayEquals(spelledOut, absent, 0f);
    }
  }

  @Test
  void promptsNoneIsTheLinearProbeAndItsBundleCarriesNoPrompt() throws Exception {
    Path none = dir.resolve("none.bundle");
    Cli cli = train(none, "--prompts", "none").expect(0);
    assertTrue(cli.out().contains("(linear-probe, linear head, prompts none)"), cli.out());
    PromptBundle b = read(none);
    assertEquals(0, b.getPromptsCount());
    assertEquals(17 * b.getLabelsCount(), b.getMetricsOrThrow("trainable_parameters"), 0.5);
  }

  @Test
  void resumeWithOtherPromptsIsRefused() {
    Path ckpt = dir.resolve("ckpt");
    train(dir.resolve("c.bundle"), "--prompts", "channel", "--checkpoint", ckpt.toString())
        .expect(0);
    String line =
        train(
                dir.resolve("c.bundle"),
                "--prompts",
                "pixel",
                "--checkpoint",
                ckpt.toString(),
                "--resume")
            .expect(1)
            .oneErrorLine();
    assertTrue(line.contains("the checkpoint is from another run"), line);
    assertTrue(line.contains("prompts=channel"), line);
  }

  @Test
  void aKindThatIsUnknownOrMissingFromTheCardNamesTheCardsKinds() {
    for (String kinds : List.of("tokens", "pixel,colour", "channel,all", "")) {
      String line = train(dir.resolve("x.bundle"), "--prompts", kinds).expect(2).oneErrorLine();
      assertTrue(line.contains(KINDS), line);
    }
    String missing = train(dir.resolve("x.bundle"), "--prompts", "tokens").err();
    assertTrue(missing.contains("micro-cnn-v2 has no tokens prompt input"), missing);
    String unknown = train(dir.resolve("x.bundle"), "--prompts", "pixel,colour").err();
    assertTrue(unknown.contains("unknown prompt kind 'colour'"), unknown);
    assertTrue(Files.notExists(dir.resolve("x.bundle")));
  }

  @Test
  void aModeThatContradictsThePromptsIsRefused() {
    Map<List<String>, String> cases =
        Map.of(
            List.of("--mode", "prompt", "--prompts", "none"), "which is --mode linear-probe",
            List.of("--mode", "linear-probe", "--prompts", "channel"), "trains no prompt input",
            List.of("--mode", "linear-probe", "--prompts", "all"), "use --prompts none",
            List.of("--mode", "prompt-deep", "--prompts", "pixel"), "leaves them at zero",
            List.of("--prompts", "channel", "--prompt-tokens", "2"), "trains no tokens");
    cases.forEach(
        (args, expected) -> {
          String line =
              train(dir.resolve("x.bundle"), args.toArray(String[]::new)).expect(2).oneErrorLine();
          assertTrue(line.contains(expected), args + ": " + line);
        });
  }

  private static Path pack(String name, String prompts) {
    Path out = dir.resolve(name + ".bundle");
    Cli.run(
            "bundle",
            "pack",
            "--backbone",
            card.path().toString(),
            "--task",
            "segmentation",
            "--name",
            name,
            "--labels",
            "background," + String.join(",", FashionMnist.LABELS),
            "--prompts",
            prompts,
            "--out",
            out.toString())
        .expect(0);
    return out;
  }

  @Test
  void packCarriesOnlyTheChosenKinds() throws Exception {
    Path out = pack("masks", "pixel");
    assertEquals(
        List.of(CnnBuilder.PIXEL_PROMPT), List.copyOf(BundleInputs.prompts(read(out)).keySet()));
  }

  @Test
  void compareGivesEachBundleARowNamingThePromptKindsItLearned() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("none", "none");
    expected.put("pixel", "pixel");
    expected.put("channel", "channel");
    expected.put("all", "pixel,channel");
    List<String> metrics = new ArrayList<>(List.of("compare"));
    for (String prompts : expected.keySet()) {
      Path bundle = pack("kind-" + prompts, prompts);
      Path report = dir.resolve("eval-" + prompts);
      Cli.run(
              "eval",
              "--bundle",
              bundle.toString(),
              "--backbone",
              card.path().toString(),
              "--data",
              data.toString(),
              "--split",
              "val",
              "--threads",
              "1",
              "--images",
              "2",
              "--out",
              report.toString())
          .expect(0);
      metrics.add(report.resolve("metrics.json").toString());
    }
    String md = Cli.run(metrics.toArray(String[]::new)).expect(0).out();
    assertTrue(
        md.matches("(?s).*\\| bundle +\\| mode +\\| head +\\| prompts +\\| trainable values.*"),
        md);
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertTrue(
          md.matches(
              "(?s).*\\| kind-"
                  + e.getKey()
                  + " +\\| "
                  + (e.getValue().equals("none") ? "linear-probe" : "prompt")
                  + " +\\| - +\\| "
                  + e.getValue()
                  + " +\\|.*"),
          e + " in\n" + md);
    }
  }
}
