package dev.promptedge.tools.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --out FILE} of the commands that rewrite the file given by {@code --in}. */
final class OutFileOption {

  @Option(names = "--out", paramLabel = "FILE", description = "Output (default: --in, replaced).")
  Path file;

  /** The file to write: {@code --out}, else {@code in}. */
  Path or(Path in) {
    return file == null ? in : file;
  }
}
