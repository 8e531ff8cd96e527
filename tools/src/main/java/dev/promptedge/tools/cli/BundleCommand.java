package dev.promptedge.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code promptedge bundle}: pack and inspect prompt bundles. */
@Command(
    name = "bundle",
    description = "Pack and inspect prompt bundles (prompt tokens + task head for one backbone).",
    mixinStandardHelpOptions = true,
    subcommands = {
      BundlePackCommand.class,
      BundleInspectCommand.class,
      BundleSignCommand.class,
      BundleRepackCommand.class,
      CommandLine.HelpCommand.class
    })
final class BundleCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
