package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.graph.CnnFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promptedge backbone throughput} on the micro CNN's card, with few short iterations. */
class BackboneThroughputCommandTest {

  @TempDir Path dir;

  @Test
  void printsTheTrainingStepAndBothInterpreterFormsSideBySide() throws Exception {
    CardFile card =
        CnnFiles.writeCnn(
            dir, "cnn", 4, 3, Provenance.newBuilder().setCommand("test").setTool("t").build());
    Cli r =
        Cli.run(
            "backbone",
            "throughput",
            "--card",
            card.path().toString(),
            "--batch",
            "4",
            "--steps",
            "2",
            "--warmup",
            "1",
            "--threads",
            "1");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("threads: PyTorch 1, interpreter 1"), r.out());
    assertTrue(r.out().contains("cores online"), r.out());
    assertTrue(r.out().matches("(?s).*median ms +p90 ms +images/s +x train.*"), r.out());
    assertTrue(
        r.out().matches("(?s).*cnn +host train step \\(fwd\\+bwd, prompt grad\\) +4 .* 1\\.00\n.*"),
        r.out());
    for (String row :
        new String[] {
          "cnn +host forward \\(no grad\\) +4 ",
          "cnn +interpreter float32 +4 ",
          "cnn +interpreter int8 +4 ",
          "cnn +interpreter float32 +1 ",
          "cnn +interpreter int8 +1 "
        }) {
      assertTrue(r.out().matches("(?s).*" + row + ".*"), row + " in\n" + r.out());
    }
  }

  @Test
  void timesACnnCardWithPixelAndChannelPromptsAndTwoFeatureOutputs() throws Exception {
    CardFile card =
        CnnFiles.writePromptableCnn(
            dir, "micro-cnn-v2", 3, Provenance.newBuilder().setCommand("test").build());
    Cli r =
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
            "1");
    assertEquals(0, r.code(), r.out() + r.err());
    for (String row :
        new String[] {
          "micro-cnn-v2 +host train step \\(fwd\\+bwd, prompt grad\\) +2 .* 1\\.00\n",
          "micro-cnn-v2 +host forward \\(no grad\\) +2 ",
          "micro-cnn-v2 +interpreter int8 +1 "
        }) {
      assertTrue(r.out().matches("(?s).*" + row + ".*"), row + " in\n" + r.out());
    }
  }

  @Test
  void refusesNonPositiveSteps() {
    Cli r = Cli.run("backbone", "throughput", "--steps", "0");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--steps"), r.err());
  }
}
