package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.quantize.QuantizedBackboneFiles;
import dev.promptedge.tools.quantize.Quantizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code promptedge bundle pack} and {@code inspect} on backbones built by the CLI. */
class BundleCommandTest {

  @TempDir static Path dir;

  static Path shallow;
  static Path deep;

  @BeforeAll
  static void buildBackbones() {
    Cli.run("backbone", "build", "--out", dir.resolve("shallow").toString()).expect(0);
    Cli.run("backbone", "build", "--out", dir.resolve("deep").toString(), "--deep").expect(0);
    shallow = dir.resolve("shallow/micro-shallow.card.textproto");
    deep = dir.resolve("deep/micro-deep.card.textproto");
  }

  private static Path pack(String task, String name, String labels, String... extra) {
    Path out = dir.resolve(name + ".bundle");
    String[] base = {
      "bundle",
      "pack",
      "--backbone",
      shallow.toString(),
      "--task",
      task,
      "--name",
      name,
      "--labels",
      labels,
      "--out",
      out.toString()
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    Cli cli = Cli.run(args).expect(0);
    assertTrue(cli.out().startsWith("wrote " + out + ": " + name + " v"), cli.out());
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "detection, DETECTION, circle square, 'detection: score >= 0.3, NMS IoU 0.5'",
    "segmentation, SEGMENTATION, background circle, 'segmentation: background class 0'",
    "classification, CLASSIFICATION, cat dog bird, 'classification: top 3'"
  })
  void packThenInspectAgainstTheCard(String task, TaskKind kind, String labels, String post)
      throws Exception {
    List<String> names = List.of(labels.split(" "));
    Path file = pack(task, "shapes-" + task, String.join(",", names), "--bundle-version", "4");

    Bundle bundle =
        new BundleReader(CardFile.read(shallow), Long.MAX_VALUE).read(Files.readAllBytes(file));
    assertEquals(kind, bundle.bundle().getTask());
    assertEquals(4, bundle.version());
    assertEquals(names, bundle.bundle().getLabelsList());

    Cli cli = Cli.run("bundle", "inspect", file.toString(), "--backbone", shallow.toString());
    cli.expect(0);
    assertEquals("", cli.err());
    String out = cli.out();
    assertTrue(out.contains("bundle      shapes-" + task + " v4 (" + kind + ")"), out);
    assertTrue(out.contains("labels      " + names.size() + ": " + String.join(", ", names)), out);
    assertTrue(out.contains("format      version 2"), out);
    assertTrue(out.contains("prompt      prompt [1, 4, 32] float32, 512 bytes"), out);
    assertTrue(out.contains("), reads features"), out);
    assertTrue(out.contains("card input  prompt TOKENS [1, 4, 32]\n"), out);
    assertTrue(out.contains("card output features stride 8 [4, 4, 32] (read by the head)"), out);
    assertTrue(out.contains("post        " + post), out);
    assertTrue(out.contains("size        " + Files.size(file) + " bytes"), out);
    assertTrue(
        out.contains(
            "check       OK for backbone micro-shallow: hash, prompt and head shapes match"),
        out);
  }

  @Test
  void inspectWithoutABackbonePrintsTheHeaderOnly() {
    Path file = pack("detection", "header-only", "a,b");
    Cli cli = Cli.run("bundle", "inspect", file.toString()).expect(0);
    assertTrue(cli.out().startsWith("bundle      header-only v1 (DETECTION)"), cli.out());
    assertTrue(cli.out().contains("labels      2: a, b"), cli.out());
    assertTrue(cli.out().contains("prompt      prompt [1, 4, 32]"), cli.out());
    assertFalse(cli.out().contains("check"), cli.out());
  }

  @Test
  void inspectAgainstAnotherBackboneFailsNamingBoth() {
    Path file = pack("segmentation", "other", "bg,fg");
    String shallowSha = CardFile.read(shallow).card().getFloatModel().getSha256();
    String deepSha = CardFile.read(deep).card().getFloatModel().getSha256();
    Cli cli = Cli.run("bundle", "inspect", file.toString(), "--backbone", deep.toString());
    cli.expect(1);
    String line = cli.oneErrorLine();
    assertTrue(line.startsWith("promptedge bundle inspect: error: " + file + ": "), line);
    assertTrue(line.contains("[wrong_backbone]"), line);
    assertTrue(line.contains(shallowSha.substring(0, 12)), line);
    assertTrue(line.contains("micro-deep (" + deepSha.substring(0, 12)), line);
    assertTrue(cli.out().startsWith("bundle      other v1"), "the header still prints");
    assertFalse(cli.out().contains("check       OK"), cli.out());
  }

  @Test
  void packingForTheDeepBackboneGivesAPromptPerBlock() {
    Path out = dir.resolve("deep.bundle");
    Cli.run(
            "bundle",
            "pack",
            "--backbone",
            deep.toString(),
            "--task",
            "classification",
            "--name",
            "deep",
            "--labels",
            "a,b",
            "--out",
            out.toString())
        .expect(0);
    Cli cli = Cli.run("bundle", "inspect", out.toString(), "--backbone", deep.toString());
    assertTrue(cli.expect(0).out().contains("prompt      prompt [2, 4, 32] float32"), cli.out());
  }

  @Test
  void aHeadThatDoesNotFitIsRefusedAndNothingIsWritten() throws Exception {
    // A backbone model file given as the head: a real .tflite without the 'head' signature.
    Path notAHead = dir.resolve("shallow/micro-shallow.tflite");
    Path out = dir.resolve("refused.bundle");
    Cli cli =
        Cli.run(
            "bundle",
            "pack",
            "--backbone",
            shallow.toString(),
            "--task",
            "detection",
            "--name",
            "refused",
            "--labels",
            "a",
            "--head",
            notAHead.toString(),
            "--out",
            out.toString());
    cli.expect(1);
    String line = cli.oneErrorLine();
    assertTrue(line.startsWith("promptedge bundle pack: error: "), line);
    assertTrue(line.contains("no signature 'head' (it has [encode])"), line);
    assertFalse(Files.exists(out));
  }

  @Test
  void repackAddsTheSelfTestOfABackboneQuantizedAfterPacking() throws Exception {
    Cli.run("backbone", "build", "--out", dir.resolve("later").toString()).expect(0);
    Path card = dir.resolve("later/micro-shallow.card.textproto");
    Path file = dir.resolve("later.bundle");
    Cli.run(
            "bundle",
            "pack",
            "--backbone",
            card.toString(),
            "--task",
            "segmentation",
            "--name",
            "later",
            "--labels",
            "background,circle",
            "--out",
            file.toString())
        .expect(0);
    Bundle before = BundleReader.parse(Files.readAllBytes(file), Long.MAX_VALUE);
    assertEquals(1, before.bundle().getSelfTest().getExpectationsCount());
    CardFile floatCard = CardFile.read(card);
    QuantizedBackboneFiles.write(
        floatCard,
        Quantizer.dynamicRange(QuantizedBackboneFiles.floatModel(floatCard)),
        "quantized after packing");
    Cli eval = Cli.run("bundle", "inspect", file.toString(), "--backbone", card.toString());
    assertEquals(0, eval.code(), "the float checks still pass: " + eval.out());

    Path repacked = dir.resolve("later-repacked.bundle");
    Cli cli =
        Cli.run(
                "bundle",
                "repack",
                "--backbone",
                card.toString(),
                "--in",
                file.toString(),
                "--out",
                repacked.toString())
            .expect(0);
    assertTrue(cli.out().contains("self-test expectations for 2 backbone file(s)"), cli.out());
    CardFile both = CardFile.read(card);
    Bundle after = BundleReader.parse(Files.readAllBytes(repacked), Long.MAX_VALUE);
    assertEquals(
        before.bundle().toBuilder().clearSelfTest().clearProvenance().build(),
        after.bundle().toBuilder().clearSelfTest().clearProvenance().build(),
        "only the self-test and a provenance note change");
    assertEquals(
        List.of(
            both.card().getFloatModel().getSha256(), both.card().getQuantizedModel().getSha256()),
        after.bundle().getSelfTest().getExpectationsList().stream()
            .map(e -> e.getBackboneFileSha256())
            .toList());
    assertTrue(
        after.bundle().getProvenance().getNotesList().stream()
            .anyMatch(n -> n.startsWith("self-test measured again by promptedge bundle repack")),
        after.bundle().getProvenance().toString());
    try (Backbone backbone = Backbone.open(both, true, InterpreterConfig.defaults());
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("later-store")),
                EngineSettings.defaults())) {
      engine.install(Files.readAllBytes(repacked)); // runs the int8 self-test; throws if it fails
    }
  }

  @Test
  void repackAgainstAnotherBackboneIsRefusedNamingBoth() {
    Path file = pack("detection", "elsewhere", "circle,square");
    Cli cli =
        Cli.run("bundle", "repack", "--backbone", deep.toString(), "--in", file.toString())
            .expect(1);
    String line = cli.oneErrorLine();
    assertTrue(line.startsWith("promptedge bundle repack: error: " + file + " was made for"), line);
    assertTrue(line.contains("but " + deep + " names "), line);
  }
}
