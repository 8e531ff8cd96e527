package dev.promptedge.tools.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code promptedge} command: builds backbones, packs and inspects bundles, runs the demo. */
@Command(
    name = "promptedge",
    mixinStandardHelpOptions = true,
    versionProvider = PromptEdgeCli.Version.class,
    description = {
      "Host-side bundle builder for PromptEdge: one frozen TFLite backbone, many tasks through"
          + " kilobyte prompt bundles.",
      ""
    },
    subcommands = {
      BackboneCommand.class,
      BundleCommand.class,
      DemoCommand.class,
      KeysCommand.class,
      RepoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class PromptEdgeCli implements Runnable {

  /** Version written into provenance records. */
  public static final String VERSION = "0.1.0";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the CLI with the given streams and returns the exit code (0 success, 1 error, 2 usage).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new PromptEdgeCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println(commandLine.getCommandName() + ": error: " + message(e));
          if (Boolean.getBoolean("promptedge.debug")) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, args2) -> {
          CommandLine commandLine = e.getCommandLine();
          commandLine
              .getErr()
              .println(
                  commandLine.getCommandSpec().qualifiedName()
                      + ": "
                      + e.getMessage()
                      + " (see --help)");
          return 2;
        });
    return cli.execute(args);
  }

  /** One line for an exception: its message, or its type when it has none. */
  static String message(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message.lines().findFirst().orElse(message);
  }

  /** Supplies the version for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"promptedge " + VERSION, "TensorFlow Lite 2.6.2 interpreter"};
    }
  }
}
