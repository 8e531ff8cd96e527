package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VitSpecTest {

  private static VitSpec spec(int height, int width, int patch, int dim, int heads, int depth) {
    return new VitSpec(
        "t",
        height,
        width,
        patch,
        dim,
        depth,
        heads,
        2,
        4,
        true,
        1e-6f,
        new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.5f, 0.5f, 0.5f});
  }

  @Test
  void microHelpers() {
    VitSpec deep = VitSpec.micro(true);
    assertEquals(4, deep.gridHeight());
    assertEquals(4, deep.gridWidth());
    assertEquals(16, deep.patchTokens());
    assertEquals(20, deep.tokens());
    assertEquals(2, deep.promptLayers());
    assertEquals(16, deep.headDim());
    assertEquals(64, deep.hiddenDim());
    assertEquals(1, VitSpec.micro(false).promptLayers());
    assertEquals(VitSpec.micro(true), VitSpec.micro(true));
    assertEquals(VitSpec.micro(true).hashCode(), VitSpec.micro(true).hashCode());
    assertNotEquals(VitSpec.micro(true), VitSpec.micro(false));
  }

  @Test
  void heightNotDivisibleByPatchNamesBothNumbers() {
    var error = assertThrows(IllegalArgumentException.class, () -> spec(30, 32, 8, 32, 2, 2));
    assertTrue(error.getMessage().contains("30"), error.getMessage());
    assertTrue(error.getMessage().contains("patchSize 8"), error.getMessage());
  }

  @Test
  void dimNotDivisibleByHeadsNamesBothNumbers() {
    var error = assertThrows(IllegalArgumentException.class, () -> spec(32, 32, 8, 30, 4, 2));
    assertTrue(error.getMessage().contains("embedDim 30"), error.getMessage());
    assertTrue(error.getMessage().contains("heads 4"), error.getMessage());
  }

  @Test
  void nonPositiveDepthIsRefused() {
    var error = assertThrows(IllegalArgumentException.class, () -> spec(32, 32, 8, 32, 2, 0));
    assertTrue(error.getMessage().contains("depth must be positive, was 0"), error.getMessage());
  }

  @Test
  void normalizationIsCopiedInAndOut() {
    float[] mean = {0.1f, 0.2f, 0.3f};
    VitSpec spec =
        new VitSpec("t", 32, 32, 8, 32, 2, 2, 2, 4, false, 1e-6f, mean, new float[] {1, 1, 1});
    mean[0] = 9;
    spec.normalizationMean()[1] = 9;
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, spec.normalizationMean());
  }

  @Test
  void weightsAreDeterministicAndCopied() {
    VitSpec spec = VitSpec.micro(true);
    VitWeights first = VitWeights.random(spec, 5);
    assertArrayEquals(first.patchKernel(), VitWeights.random(spec, 5).patchKernel());
    assertArrayEquals(
        first.blocks().get(1).fc2Weight(), VitWeights.random(spec, 5).blocks().get(1).fc2Weight());
    float before = first.blocks().get(0).queryWeight()[0];
    first.blocks().get(0).queryWeight()[0] = before + 1;
    assertEquals(before, first.blocks().get(0).queryWeight()[0]);
  }
}
