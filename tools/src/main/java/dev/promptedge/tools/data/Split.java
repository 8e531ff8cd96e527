package dev.promptedge.tools.data;

import java.util.Locale;

/** The two parts of a dataset: samples to learn from and samples to validate on. */
public enum Split {
  /** Samples the trainer learns from. */
  TRAIN,
  /** Held-out samples for validation and evaluation. */
  VAL;

  /** The split's folder name in a dataset directory: {@code train} or {@code val}. */
  public String dirName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
