package dev.promptedge.tools.cli;

import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.SigningKey;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge keys}: Ed25519 signing keys for bundles and update repositories. */
@Command(
    name = "keys",
    description = "Ed25519 signing keys for bundles and update repositories.",
    mixinStandardHelpOptions = true,
    subcommands = {KeysCommand.Generate.class, CommandLine.HelpCommand.class})
final class KeysCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code promptedge keys generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Generate an Ed25519 key pair with the JDK: DIR/NAME.key (PKCS#8 PEM, mode 0600) and"
            + " DIR/NAME.pub (X.509 PEM). Existing files are never overwritten. Prints the key id"
            + " and the trusted_keys block to paste into a device profile's updates section.",
        "",
        "Example: promptedge keys generate --out keys --name root"
      })
  static final class Generate implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin OutDirOption out;

    @Option(names = "--name", required = true, description = "Key name (file name stem).")
    String name;

    @Override
    public Integer call() throws Exception {
      SigningKey key = KeyFiles.generate(out.value(), name);
      PrintWriter o = spec.commandLine().getOut();
      o.printf(
          "wrote %s (private, 0600) and %s%n",
          out.value().resolve(name + ".key"), out.value().resolve(name + ".pub"));
      o.printf("key id %s%n", key.keyId());
      o.println("device profile (updates { ... }):");
      o.println(key.trustedKeyText());
      return 0;
    }
  }
}
