package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every command and subcommand answers {@code --help} with a usage naming its options. */
class HelpTest {

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of(List.of(), List.of("backbone", "bundle", "demo", "--version"), null),
        Arguments.of(List.of("backbone"), List.of("build"), null),
        Arguments.of(
            List.of("backbone", "build"),
            List.of(
                "--out=DIR",
                "--preset",
                "--input=PIXELS",
                "--patch=PIXELS",
                "--dim=D",
                "--depth",
                "--heads",
                "--prompt-tokens=P",
                "--[no-]deep",
                "--seed"),
            "Example: promptedge backbone build --out models"),
        Arguments.of(List.of("bundle"), List.of("pack", "inspect", "sign", "repack"), null),
        Arguments.of(
            List.of("bundle", "repack"),
            List.of("--backbone=CARD", "--in=FILE", "--out=FILE"),
            "Example: promptedge bundle repack --backbone"),
        Arguments.of(
            List.of("bundle", "pack"),
            List.of(
                "--backbone=CARD",
                "--task",
                "--name",
                "--labels=LABEL",
                "--bundle-version=N",
                "--head=FILE",
                "--prompts=KINDS",
                "--out=FILE",
                "detection, segmentation, classification"),
            "Example: promptedge bundle pack --backbone"),
        Arguments.of(
            List.of("train"),
            List.of("--task", "--backbone=CARD", "--mode", "--prompts=KINDS", "--prompt-tokens=N"),
            "Example: promptedge train --task detection"),
        Arguments.of(
            List.of("bundle", "inspect"),
            List.of("BUNDLE", "--backbone=CARD"),
            "Example: promptedge bundle inspect shapes.bundle"),
        Arguments.of(
            List.of("compare"),
            List.of("METRICS.json", "--out=FILE"),
            "Example: promptedge compare --out table.md"),
        Arguments.of(
            List.of("demo"), List.of("--work=DIR", "--threads", "--quantized", "--backbone"), null),
        Arguments.of(
            List.of("eval"),
            List.of(
                "--bundle=FILE",
                "--backbone=CARD",
                "--quantized",
                "--data=DIR",
                "--split",
                "--out=DIR",
                "--limit=N",
                "--threads=N",
                "--score-threshold"),
            "Example: promptedge eval --bundle shapes.bundle"));
  }

  @ParameterizedTest(name = "promptedge {0} --help")
  @MethodSource("commands")
  void helpExitsZeroAndNamesTheOptions(List<String> command, List<String> names, String example) {
    String[] args = Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new);
    Cli cli = Cli.run(args).expect(0);
    assertEquals("", cli.err());
    String usage =
        "Usage: "
            + String.join(" ", Stream.concat(Stream.of("promptedge"), command.stream()).toList());
    assertTrue(cli.out().startsWith(usage), () -> "usage line missing:\n" + cli.out());
    // picocli wraps long lines; compare with the line breaks and indentation folded away.
    String flat = cli.out().replaceAll("\\s+", " ");
    for (String name : names) {
      assertTrue(flat.contains(name), () -> "help does not name " + name + ":\n" + cli.out());
    }
    if (example != null) {
      assertTrue(flat.contains(example), () -> "help has no example line:\n" + cli.out());
    }
  }

  @ParameterizedTest(name = "promptedge {0} -h")
  @MethodSource("commands")
  void shortHelpPrintsTheSameUsage(List<String> command, List<String> names, String example) {
    String[] longArgs = Stream.concat(command.stream(), Stream.of("--help")).toArray(String[]::new);
    String[] shortArgs = Stream.concat(command.stream(), Stream.of("-h")).toArray(String[]::new);
    assertEquals(Cli.run(longArgs).expect(0).out(), Cli.run(shortArgs).expect(0).out());
  }

  @ParameterizedTest(name = "promptedge {0} --version")
  @MethodSource("commands")
  void versionIsTheToolsVersionEverywhere(
      List<String> command, List<String> names, String example) {
    String[] args = Stream.concat(command.stream(), Stream.of("--version")).toArray(String[]::new);
    Cli cli = Cli.run(args).expect(0);
    assertTrue(
        cli.out().startsWith("promptedge " + PromptEdgeCli.VERSION + System.lineSeparator()),
        cli.out());
  }
}
