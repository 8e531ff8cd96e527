package dev.promptedge.tools.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code promptedge} command: builds backbones, packs and inspects bundles, generates datasets,
 * evaluates bundles, runs the demo.
 */
@Command(
    name = "promptedge",
    mixinStandardHelpOptions = true,
    versionProvider = PromptEdgeCli.Version.class,
    resourceBundle = "dev.promptedge.tools.cli.Options",
    description = {
      "Host-side bundle builder for PromptEdge: one frozen TFLite backbone, many tasks through"
          + " kilobyte prompt bundles.",
      ""
    },
    subcommands = {
      BackboneCommand.class,
      BundleCommand.class,
      CompareCommand.class,
      DataCommand.class,
      DemoCommand.class,
      EvalCommand.class,
      TrainCommand.class,
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
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    out.flush(); // print() without a newline does not auto-flush
    err.flush();
    System.exit(code);
  }

  /**
   * Runs the CLI with the given streams and returns the exit code (0 success, 1 error, 2 usage).
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new PromptEdgeCli());
    cli.setOut(out);
    cli.setErr(err);
    sameVersionEverywhere(cli);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println(commandLine.getCommandSpec().qualifiedName() + ": error: " + message(e));
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

  /** Makes {@code --version} of every subcommand print the tool's version, as the root's does. */
  private static void sameVersionEverywhere(CommandLine command) {
    command.getCommandSpec().versionProvider(new Version());
    command.getSubcommands().values().forEach(PromptEdgeCli::sameVersionEverywhere);
  }

  /**
   * One line for an exception: its message, or its type when it has none. File-system errors, whose
   * messages are often just the path, also say what went wrong with it.
   */
  static String message(Throwable e) {
    if (e instanceof NoSuchFileException f) {
      return "no such file: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
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
