package dev.promptedge.tools.data;

/**
 * How to split a dataset that has no {@code train/} and {@code val/} folders of its own: each
 * sample id gets a pseudo-random rank from {@code seed}, and the {@code round(valFraction * n)}
 * lowest ranks form the validation split. The same ids and seed always give the same split, and
 * adding samples moves few existing ones. Immutable value.
 *
 * @param seed seed of the ranking
 * @param valFraction share of samples for validation, in {@code [0, 1)}
 */
public record SplitRule(long seed, double valFraction) {

  /** Seed 0, 20 % validation. */
  public static final SplitRule DEFAULT = new SplitRule(0, 0.2);

  /** Checks the fraction. */
  public SplitRule {
    if (!(valFraction >= 0 && valFraction < 1)) {
      throw new IllegalArgumentException("valFraction must be in [0, 1), got " + valFraction);
    }
  }
}
