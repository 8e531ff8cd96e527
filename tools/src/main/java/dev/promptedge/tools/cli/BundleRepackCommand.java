package dev.promptedge.tools.cli;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge bundle repack}: measures a bundle's self-test again on a card's files. */
@Command(
    name = "repack",
    mixinStandardHelpOptions = true,
    description = {
      "Pack a bundle again against a backbone card: the prompt, head, labels, post-processing,"
          + " metrics and version stay; the self-test expectations are measured again on every"
          + " model file the card names. Use it after quantizing a backbone the bundle was made"
          + " for (e.g. the one 'train --mode full' writes), so the bundle also runs on the int8"
          + " file. Signatures are dropped: sign the result again. The version stays too: a device"
          + " that holds the original refuses the repacked bytes under the same version"
          + " (version_reused), so repack before publishing, or pack a new version.",
      "",
      "Example: promptedge bundle repack --backbone tuned.card.textproto --in task.bundle"
    })
final class BundleRepackCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--backbone",
      required = true,
      paramLabel = "CARD",
      description = "Card of the backbone the bundle is for (same float model).")
  Path backbone;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Bundle file.")
  Path in;

  @CommandLine.Mixin OutFileOption out;

  @Override
  public Integer call() throws Exception {
    CardFile card = CardFile.read(backbone);
    byte[] bytes = Files.readAllBytes(in);
    Bundle old = BundleFileChecks.named(in, () -> BundleReader.parse(bytes, Long.MAX_VALUE));
    String floatHash = card.card().getFloatModel().getSha256();
    if (!old.bundle().getBackboneSha256().equals(floatHash)) {
      throw new BundleException(
          "backbone_mismatch",
          in
              + " was made for the float backbone "
              + old.bundle().getBackboneSha256()
              + ", but "
              + backbone
              + " names "
              + floatHash
              + ": repack against the card of the backbone it was trained on");
    }
    Provenance provenance =
        old.bundle().getProvenance().toBuilder()
            .addNotes(
                "self-test measured again by "
                    + Provenances.command(spec)
                    + " on "
                    + card.card().getName())
            .build();
    Bundle bundle =
        BundlePacker.pack(
            card,
            BundleContents.of(old.bundle()).withProvenance(provenance),
            InterpreterConfig.defaults());
    Path target = out.or(in);
    AtomicFiles.write(target, bundle.toBytes());
    PrintWriter log = spec.commandLine().getOut();
    log.printf(
        "wrote %s: %s v%d, self-test expectations for %d backbone file(s) of %s%s%n",
        target,
        bundle.name(),
        bundle.version(),
        bundle.bundle().getSelfTest().getExpectationsCount(),
        card.card().getName(),
        old.envelope().getSignaturesCount() > 0
            ? "; its " + old.envelope().getSignaturesCount() + " signature(s) dropped: sign again"
            : "");
    return 0;
  }
}
