package dev.promptedge.runtime.backbone;

import dev.promptedge.format.PromptKind;
import java.util.Arrays;
import java.util.List;

/**
 * One prompt input of a backbone as its card describes it (contract v2): where a bundle's tensor
 * goes. Immutable.
 *
 * @param name the signature input's name
 * @param kind what the input does; fixes its identity value
 * @param shape per-sample shape, without the batch dimension
 * @param placement CHANNEL_SCALE_SHIFT: the graph tensor it scales and shifts; else a note or empty
 */
public record PromptSlot(String name, PromptKind kind, List<Integer> shape, String placement) {

  public PromptSlot {
    shape = List.copyOf(shape);
  }

  /** Floats of one sample's tensor: the product of {@link #shape}. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /**
   * The tensor that leaves the backbone unchanged, for one sample: zeros, or for
   * CHANNEL_SCALE_SHIFT γ = 1 (row 0) and β = 0 (row 1).
   */
  public float[] identity() {
    float[] values = new float[size()];
    if (kind == PromptKind.CHANNEL_SCALE_SHIFT) {
      Arrays.fill(values, 0, shape.get(1), 1f);
    }
    return values;
  }

  /** {@code prompt TOKENS [1, 4, 32]}. */
  @Override
  public String toString() {
    return name + " " + kind + " " + shape + (placement.isEmpty() ? "" : " after " + placement);
  }
}
