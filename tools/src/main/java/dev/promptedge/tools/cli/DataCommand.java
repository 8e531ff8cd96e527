package dev.promptedge.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code promptedge data}: make datasets. */
@Command(
    name = "data",
    description = "Make datasets (detection, segmentation, classification) for training.",
    mixinStandardHelpOptions = true,
    subcommands = {
      DataGenerateCommand.class,
      DataFashionMnistCommand.class,
      CommandLine.HelpCommand.class
    })
final class DataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
