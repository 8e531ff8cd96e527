package dev.promptedge.tools.train;

import java.util.Locale;

/**
 * What learns: the head only, the card's prompt inputs with the head (shallow or deep for token
 * prompts), or everything. Every prompt input starts from its kind's identity (tokens seeded).
 */
public enum TrainMode {
  /**
   * Head only; every prompt input stays at its kind's identity (zeros, or γ 1 and β 0). The same as
   * {@code --prompts none}.
   */
  LINEAR_PROBE,
  /**
   * The card's prompt inputs that {@link PromptSelection} picks (all by default: shallow tokens, L
   * = 1; pixel; channel scale and shift) and the head; the backbone is frozen.
   */
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
