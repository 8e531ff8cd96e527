package dev.promptedge.tools.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.Datasets;
import dev.promptedge.tools.data.SegmentationSample;
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
  void learnsWhatCoversEachCellAndFitsBothGraphs(@TempDir Path dir) {
    TrainData.generate(dir, 48, 16);
    Splits<SegmentationSample> s =
        Datasets.segmentation(dir.resolve("segmentation"), SplitRule.DEFAULT);
    StringWriter log = new StringWriter();
    VitSpec spec = VitSpec.micro(false);
    // Validated on its own training scenes: 48 scenes show whether every weight learns, not how
    // well it generalizes (the demo run's README reports that).
    Pretrainer.Result r =
        Pretrainer.pretrain(spec, 3, s.train(), s.train(), 8, 0.003f, 100, 0, new PrintWriter(log));
    assertEquals(100, r.steps());
    double firstLoss =
        Double.parseDouble(
            log.toString()
                .lines()
                .filter(l -> l.startsWith("step 1 loss"))
                .findFirst()
                .orElseThrow()
                .substring("step 1 loss ".length()));
    double valLoss = r.valCellLoss() + r.valLoss();
    assertTrue(valLoss < 0.8 * firstLoss, firstLoss + " -> " + valLoss + "\n" + log);
    assertTrue(
        r.valCellAccuracy() > r.priorCellAccuracy() + 0.05,
        r.valCellAccuracy() + " vs prior " + r.priorCellAccuracy() + "\n" + log);

    for (boolean deep : new boolean[] {false, true}) {
      VitSpec v = VitSpec.micro(deep);
      TfliteGraph g = TfliteGraph.read(Pretrainer.model(v, 3, r.constants()), VitBuilder.SIGNATURE);
      for (String name : r.constants().keySet()) {
        assertTrue(java.util.Arrays.equals(r.constants().get(name), g.constant(name)), name);
      }
      assertFalse(r.constants().containsKey("block0/ln1/eps"), "scalars stay fixed");
    }
  }

  @Test
  void mirrorsPixelRowsAndTheFlipsAreSeeded() {
    // two rows of three RGB-like pixels (group 2 here), mirrored left-right
    float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    PretrainModel.mirror(a, 0, 2, 6, 2);
    assertTrue(
        java.util.Arrays.equals(new float[] {5, 6, 3, 4, 1, 2, 11, 12, 9, 10, 7, 8}, a),
        java.util.Arrays.toString(a));
    assertTrue(java.util.Arrays.equals(Pretrainer.flips(1, 5, 32), Pretrainer.flips(1, 5, 32)));
    assertFalse(java.util.Arrays.equals(Pretrainer.flips(1, 5, 32), Pretrainer.flips(1, 6, 32)));
  }
}
