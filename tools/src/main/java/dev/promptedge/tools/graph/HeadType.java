package dev.promptedge.tools.graph;

import java.util.Locale;

/**
 * The architecture of a task head: today's linear head, or one or two depthwise-separable 3×3
 * residual blocks ({@link ConvBlockWeights}) before the same linear output.
 */
public enum HeadType {
  /** The per-cell (or pooled) linear map alone. */
  LINEAR(0),
  /** One conv block, then the linear map. */
  CONV(1),
  /** Two conv blocks, then the linear map. */
  CONV2(2);

  private final int blocks;

  HeadType(int blocks) {
    this.blocks = blocks;
  }

  /** Conv blocks before the linear output. */
  public int blocks() {
    return blocks;
  }

  /** The command-line name: {@code linear}, {@code conv} or {@code conv2}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The head type named {@code label} (as {@link #label()}); throws naming the choices. */
  public static HeadType parse(String label) {
    for (HeadType t : values()) {
      if (t.label().equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "Unknown head '" + label + "'; choose linear, conv (one conv block) or conv2 (two)");
  }
}
