package dev.promptedge.tools.train;

import java.util.Locale;

/** What learns: the head only, a shallow or deep prompt with the head, or everything. */
public enum TrainMode {
  /** Head only; the prompt stays zeros (the bundle carries the zero prompt). */
  LINEAR_PROBE,
  /** Shallow prompt tokens (L = 1) and the head; the backbone is frozen. */
  PROMPT,
  /** Deep prompt tokens (L = depth, needs a deep backbone) and the head; backbone frozen. */
  PROMPT_DEEP,
  /** Prompt, head and every backbone constant; writes a new backbone and card. */
  FULL;

  /** The CLI spelling, e.g. {@code linear-probe}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The mode spelled {@code name} on the command line; throws listing the modes. */
  public static TrainMode parse(String name) {
    for (TrainMode m : values()) {
      if (m.cliName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '" + name + "'; use linear-probe, prompt, prompt-deep or full");
  }

  boolean trainsPrompt() {
    return this != LINEAR_PROBE;
  }
}
