package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;

/** Freeing the batch: reshapes keep it free, an op mixing samples keeps it fixed. */
class DynamicBatchTest {

  @Test
  void reshapeKeepsTheBatchFreeAndSamplesStayApart() {
    ImportGraph g = new ImportGraph();
    int x = g.activation("x", 1, 2, 2, 4);
    g.inputs.put("x", x);
    int y = g.activation("y", 1, 16);
    ReshapeOptionsT o = new ReshapeOptionsT();
    o.setNewShape(new int[] {1, 16});
    g.op(
        BuiltinOperator.RESHAPE,
        BuiltinOptions.ReshapeOptions,
        o,
        new int[] {x, g.vector("s", 1, 16)},
        y);
    g.outputs.put("y", y);
    assertTrue(DynamicBatch.apply(g));
    assertArrayEquals(new int[] {-1, 2, 2, 4}, g.tensor(x).shape);
    byte[] model = g.serialize("encode", "test");
    float[] two = new float[32];
    for (int i = 0; i < two.length; i++) {
      two[i] = i;
    }
    float[] out = BackboneImporter.run(model, Map.of("x", two), 2).get("y");
    assertArrayEquals(two, out);
  }

  @Test
  void concatenatingAlongTheBatchKeepsItFixed() {
    ImportGraph g = new ImportGraph();
    int x = g.activation("x", 1, 4);
    g.inputs.put("x", x);
    int y = g.activation("y", 2, 4);
    ConcatenationOptionsT o = new ConcatenationOptionsT();
    o.setAxis(0);
    g.op(
        BuiltinOperator.CONCATENATION, BuiltinOptions.ConcatenationOptions, o, new int[] {x, x}, y);
    g.outputs.put("y", y);
    assertFalse(DynamicBatch.apply(g));
    assertEquals("[1, 4]", Arrays.toString(g.tensor(x).shape));
  }
}
