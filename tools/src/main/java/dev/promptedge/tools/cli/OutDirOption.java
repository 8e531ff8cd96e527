package dev.promptedge.tools.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The required {@code --out DIR} of the commands that write their files into a folder. Each command
 * says what goes there under {@code <command path>.out} in {@code Options.properties}.
 */
final class OutDirOption {

  @Option(names = "--out", required = true, paramLabel = "DIR", descriptionKey = "out")
  Path dir;

  Path value() {
    return dir;
  }
}
