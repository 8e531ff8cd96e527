package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.SplitRule;
import dev.promptedge.tools.data.Splits;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {

  @Test
  void learnsWhichShapesAreInTheSceneAndFitsBothGraphs(@TempDir Path dir) {
    TrainData.generate(dir, 48, 16);
    Splits<DetectionSample> s = Datasets.detection(dir.resolve("detection"), SplitRule.DEFAULT);
    StringWriter log = new StringWriter();
    VitSpec spec = VitSpec.micro(false);
    Pretrainer.Result r =
        Pretrainer.pretrain(spec, 3, s.train(), s.val(), 8, 0.003f, 60, 0, new PrintWriter(log));
    assertEquals(60, r.steps());
    double firstLoss =
        Double.parseDouble(
            log.toString()
                .lines()
                .filter(l -> l.startsWith("step 1 BCE"))
                .findFirst()
                .orElseThrow()
                .substring("step 1 BCE ".length()));
    assertTrue(r.valLoss() < 0.8 * firstLoss, firstLoss + " -> " + r.valLoss() + "\n" + log);

    for (boolean deep : new boolean[] {false, true}) {
      VitSpec v = VitSpec.micro(deep);
      TfliteGraph g = TfliteGraph.read(Pretrainer.model(v, 3, r.constants()), VitBuilder.SIGNATURE);
      for (String name : r.constants().keySet()) {
        assertTrue(java.util.Arrays.equals(r.constants().get(name), g.constant(name)), name);
      }
      assertFalse(r.constants().containsKey("block0/ln1/eps"), "scalars stay fixed");
    }
  }
}
