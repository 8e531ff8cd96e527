package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape chains of ONNX-to-TF exports, folded: Where, GatherV2, SparseToDense, Cast, Add. */
class TfjsFoldingTest {

  private static TfjsValue ints(int[] shape, double... v) {
    return TfjsValue.constant(shape, v, true);
  }

  private static TfjsValue fold(String op, TfjsValue... in) {
    return TfjsFolding.fold(new TfjsModel.Node("n", op, List.of(), Map.of()), List.of(in));
  }

  @Test
  void reshapeTargetChainFoldsToTheShapeTfComputes() {
    // shape [1, 80, 52, 52] -> keep dims where mask != 0 -> [1, 80] ... as a -1 placeholder.
    TfjsValue mask = ints(new int[] {3}, 0, 1, 0);
    TfjsValue where = fold("Where", mask);
    assertArrayEquals(new int[] {1, 1}, where.shape);
    assertArrayEquals(new int[] {1}, where.ints());
    TfjsValue shape = ints(new int[] {4}, 1, 80, 52, 52);
    TfjsValue gathered = fold("GatherV2", shape, ints(new int[] {2}, 1, 3), ints(new int[0], 0));
    assertArrayEquals(new int[] {80, 52}, gathered.ints());
    TfjsValue dense =
        fold(
            "SparseToDense",
            where,
            ints(new int[] {1}, 3),
            ints(new int[] {1}, 80),
            ints(new int[0], 0));
    assertArrayEquals(new int[] {0, 80, 0}, dense.ints());
    TfjsValue target = fold("AddV2", ints(new int[] {3}, 1, 0, -1), dense);
    assertArrayEquals(new int[] {1, 80, -1}, target.ints());
    TfjsValue rows = TfjsValue.constant(new int[] {2, 2}, new double[] {1, 2, 3, 4}, false);
    assertArrayEquals(
        new float[] {3, 4},
        fold("GatherV2", rows, ints(new int[] {1}, 1), ints(new int[0], 0)).floats());
    assertArrayEquals(
        new float[] {2, 4},
        fold("GatherV2", rows, ints(new int[] {1}, 1), ints(new int[0], 1)).floats());
    ImportException e = assertThrows(ImportException.class, () -> fold("Erf", mask));
    assertTrue(e.getMessage().contains("cannot fold Erf"), e.getMessage());
  }
}
