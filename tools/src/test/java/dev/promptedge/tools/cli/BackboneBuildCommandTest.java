package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promptedge backbone build}: the files it writes, their card, and determinism. */
class BackboneBuildCommandTest {

  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());

  @TempDir Path dir;

  private CardFile build(Path out, String... options) {
    String[] args = new String[options.length + 4];
    args[0] = "backbone";
    args[1] = "build";
    args[2] = "--out";
    args[3] = out.toString();
    System.arraycopy(options, 0, args, 4, options.length);
    Cli cli = Cli.run(args).expect(0);
    assertEquals("", cli.err());
    String name = cli.out().lines().findFirst().orElseThrow();
    assertTrue(name.startsWith("wrote "), cli.out());
    try (var files = Files.list(out)) {
      Path card =
          files
              .filter(p -> p.toString().endsWith(CardFile.SUFFIX))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no card in " + out));
      return CardFile.read(card);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void writesAModelAndACardThatTheRuntimeOpens() throws Exception {
    CardFile card = build(dir, "--seed", "7");
    assertEquals(dir.resolve("micro-shallow.card.textproto"), card.path());
    Path model = dir.resolve("micro-shallow.tflite");
    assertEquals(model.toAbsolutePath(), card.modelPath(false));
    BackboneCard c = card.card();
    byte[] bytes = Files.readAllBytes(model);
    assertEquals(Sha256.hex(bytes), c.getFloatModel().getSha256());
    assertEquals(bytes.length, c.getFloatModel().getSizeBytes());
    assertEquals(7, c.getProvenance().getSeed());
    assertTrue(
        c.getProvenance().getCommand().startsWith("promptedge backbone build --out "),
        c.getProvenance().getCommand());
    assertEquals(1, c.getPromptLayers());
    try (Backbone backbone = Backbone.open(card, false, CONFIG)) {
      float[] features =
          backbone.encode(new float[backbone.pixelSize()], java.util.Map.of(), 1).get("features");
      assertEquals(backbone.featureOutputs().get(0).size(), features.length);
    }
  }

  @Test
  void printsTheShapesOfTheContract() {
    Cli cli = Cli.run("backbone", "build", "--out", dir.toString()).expect(0);
    assertTrue(cli.out().contains("prompt [L=1, P=4, D=32], features [4, 4, 32]"), () -> cli.out());
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
    build(dir.resolve("a"), "--seed", "7");
    build(dir.resolve("b"), "--seed", "7");
    build(dir.resolve("c"), "--seed", "8");
    byte[] a = Files.readAllBytes(dir.resolve("a/micro-shallow.tflite"));
    assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/micro-shallow.tflite")));
    assertFalse(
        java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/micro-shallow.tflite"))));
  }

  @Test
  void deepGivesOnePromptLayerPerBlock() {
    CardFile card = build(dir, "--deep", "--depth", "3");
    assertEquals("micro-deep", card.card().getName());
    assertEquals(3, card.card().getDepth());
    assertEquals(3, card.card().getPromptLayers());
    try (Backbone backbone = Backbone.open(card, false, CONFIG)) {
      assertEquals(3 * 4 * 32, backbone.promptInputs().get(0).size());
    }
  }

  @Test
  void overridesLandInTheCardAndTheModel() {
    CardFile card =
        build(
            dir,
            "--name",
            "tiny16",
            "--dim",
            "16",
            "--heads",
            "2",
            "--input",
            "48",
            "--patch",
            "16",
            "--prompt-tokens",
            "3");
    BackboneCard c = card.card();
    assertEquals("tiny16", c.getName());
    assertEquals(16, c.getEmbedDim());
    assertEquals(2, c.getHeads());
    assertEquals(48, c.getInputHeight());
    assertEquals(48, c.getInputWidth());
    assertEquals(16, c.getPatchSize());
    assertEquals(3, c.getPromptTokens());
    assertEquals(3, card.featureOutputs().get(0).height());
    // Backbone.open checks the model's tensors against these numbers.
    try (Backbone backbone = Backbone.open(card, false, CONFIG)) {
      assertEquals(3 * 3 * 16, backbone.featureOutputs().get(0).size());
    }
  }
}
