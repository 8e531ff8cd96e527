package dev.promptedge.tools.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --seed} option of the commands that draw anything at random. Each command passes its
 * default and says what the seed seeds under {@code <command path>.seed} in {@code
 * Options.properties}.
 */
final class SeedOption {

  @Option(names = "--seed", descriptionKey = "seed")
  long seed;

  /** The option with {@code defaultSeed} when the command line has none. */
  SeedOption(long defaultSeed) {
    this.seed = defaultSeed;
  }

  long value() {
    return seed;
  }
}
