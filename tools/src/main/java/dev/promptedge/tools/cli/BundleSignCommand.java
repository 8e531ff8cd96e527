package dev.promptedge.tools.cli;

import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge bundle sign}: adds an Ed25519 signature to a bundle. */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Add an Ed25519 signature over the bundle bytes to a bundle's envelope. Signing again with"
          + " the same key replaces its signature (same bytes: Ed25519 is deterministic).",
      "",
      "Example: promptedge bundle sign --key keys/targets.key --in shapes.bundle"
    })
final class BundleSignCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--key",
      required = true,
      paramLabel = "KEY",
      description = "Private key, PKCS#8 PEM or DER.")
  Path key;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Bundle file.")
  Path in;

  @CommandLine.Mixin OutFileOption out;

  @Override
  public Integer call() throws Exception {
    SigningKey signer = KeyFiles.read(key);
    byte[] signed = Signer.bundle(Files.readAllBytes(in), signer);
    Path target = out.or(in);
    AtomicFiles.write(target, signed);
    spec.commandLine().getOut().printf("signed %s with key %s%n", target, signer.keyId());
    return 0;
  }
}
