package dev.promptedge.tools.cli;

import dev.promptedge.format.Provenance;
import java.time.Instant;
import picocli.CommandLine;

/** Provenance records for what the CLI writes: the command line, the seed and the data. */
final class Provenances {

  private Provenances() {}

  /** The provenance of an artifact made by {@code spec}'s command with {@code seed}. */
  static Provenance of(CommandLine.Model.CommandSpec spec, long seed, String data) {
    return Provenance.newBuilder()
        .setCommand(command(spec))
        .setSeed(seed)
        .setData(data)
        .setTool("promptedge " + PromptEdgeCli.VERSION)
        .setCreatedEpochSeconds(Instant.now().getEpochSecond())
        .build();
  }

  /** The command line that ran {@code spec}'s command, arguments with spaces quoted. */
  static String command(CommandLine.Model.CommandSpec spec) {
    StringBuilder command = new StringBuilder(spec.root().name());
    for (String arg : spec.root().commandLine().getParseResult().originalArgs()) {
      command.append(' ').append(arg.contains(" ") ? "'" + arg + "'" : arg);
    }
    return command.toString();
  }
}
