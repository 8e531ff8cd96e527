package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A wrong command line exits 2 with one line on stderr naming the problem and nothing on stdout.
 */
class UsageErrorTest {

  private static String usageError(String... args) {
    Cli cli = Cli.run(args).expect(2);
    assertEquals("", cli.out(), "a usage error prints nothing on stdout");
    return cli.oneErrorLine();
  }

  @Test
  void missingRequiredOption() {
    assertEquals(
        "promptedge backbone build: Missing required option: '--out=DIR' (see --help)",
        usageError("backbone", "build"));
  }

  @Test
  void missingRequiredOptionsOfPackAreAllNamed() {
    assertEquals(
        "promptedge bundle pack: Missing required options: '--task=<task>', '--name=<name>',"
            + " '--labels=LABEL', '--out=FILE' (see --help)",
        usageError("bundle", "pack", "--backbone", "x.card.textproto"));
  }

  @Test
  void aScoreThresholdOutsideDetectionOrOutsideZeroToOneIsRefusedBeforeTraining() {
    String[] base = {"train", "--backbone", "c", "--data", "d", "--out", "o.bundle"};
    assertEquals(
        "promptedge train: --score-threshold applies to --task detection only (see --help)",
        usageError(with(base, "--task", "segmentation", "--score-threshold", "0.5")));
    assertEquals(
        "promptedge train: --score-threshold must be above 0 and below 1, got 1.5 (see --help)",
        usageError(with(base, "--task", "detection", "--score-threshold", "1.5")));
  }

  private static String[] with(String[] base, String... more) {
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void missingBundleParameter() {
    assertEquals(
        "promptedge bundle inspect: Missing required parameter: 'BUNDLE' (see --help)",
        usageError("bundle", "inspect"));
  }

  @Test
  void unknownTaskNamesTheValueAndTheChoices() {
    assertEquals(
        "promptedge bundle pack: Invalid value for option '--task': unknown task 'boxes': use one"
            + " of detection, segmentation, classification (see --help)",
        usageError(
            "bundle",
            "pack",
            "--backbone",
            "c",
            "--task",
            "boxes",
            "--name",
            "a",
            "--labels",
            "a",
            "--out",
            "b"));
  }

  @Test
  void unknownOption() {
    assertEquals(
        "promptedge backbone build: Unknown option: '--bogus' (see --help)",
        usageError("backbone", "build", "--out", "x", "--bogus"));
  }

  @Test
  void unknownCommand() {
    assertEquals(
        "promptedge: Unmatched argument at index 0: 'frobnicate' (see --help)",
        usageError("frobnicate"));
  }

  @Test
  void notANumber() {
    assertEquals(
        "promptedge backbone build: Invalid value for option '--seed': 'seven' is not a long"
            + " (see --help)",
        usageError("backbone", "build", "--out", "x", "--seed", "seven"));
  }
}
