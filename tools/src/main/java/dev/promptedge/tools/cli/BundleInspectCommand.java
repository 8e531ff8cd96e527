package dev.promptedge.tools.cli;

import dev.promptedge.format.NamedTensor;
import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SelfTestExpectation;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code promptedge bundle inspect}: prints what a bundle holds and checks it against a card. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bundle's header, sizes and shapes. With --backbone, also run the checks a device"
          + " runs before it installs a bundle (backbone hash, prompt shapes, head shapes)"
          + " and list the card's prompt inputs and feature outputs; the"
          + " exit code is 1 when one fails.",
      "",
      "Example: promptedge bundle inspect shapes.bundle --backbone models/micro.card.textproto"
    })
final class BundleInspectCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "BUNDLE", description = "Bundle file.")
  Path file;

  @Option(
      names = "--backbone",
      paramLabel = "CARD",
      description = "Backbone card to check the bundle against.")
  Path backbone;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Bundle bundle = BundleFileChecks.named(file, () -> BundleReader.parse(bytes, Long.MAX_VALUE));
    PromptBundle b = bundle.bundle();
    SignedBundle envelope = bundle.envelope();
    PrintWriter out = spec.commandLine().getOut();
    out.printf("bundle      %s v%d (%s)%n", b.getName(), b.getVersion(), b.getTask());
    out.printf("backbone    float sha256 %s%n", b.getBackboneSha256());
    out.printf("labels      %d: %s%n", b.getLabelsCount(), String.join(", ", b.getLabelsList()));
    out.printf("format      version %d%n", b.getFormatVersion());
    for (NamedTensor t : BundleInputs.named(b)) {
      out.printf(
          "prompt      %s %s float32, %d bytes%n",
          t.getInput(), t.getTensor().getShapeList(), t.getTensor().getValuesCount() * Float.BYTES);
    }
    out.printf(
        "head        %d bytes (TFLite flatbuffer), reads %s%n",
        b.getHead().size(), String.join(", ", BundleInputs.headFeatures(b)));
    out.printf("post        %s%n", describe(b.getPostProcessing()));
    out.printf(
        "self-test   PNG %d bytes, %d expectation(s)%n",
        b.getSelfTest().getInputPng().size(), b.getSelfTest().getExpectationsCount());
    for (SelfTestExpectation e : b.getSelfTest().getExpectationsList()) {
      out.printf(
          "              backbone file %s: %d values, tolerance %g%n",
          e.getBackboneFileSha256(), e.getOutput().getValuesCount(), e.getTolerance());
    }
    out.printf("metrics     %s%n", b.getMetricsMap().isEmpty() ? "(none)" : b.getMetricsMap());
    out.printf(
        "size        %d bytes (bundle %d, signatures %d)%n",
        bytes.length, envelope.getBundle().size(), envelope.getSignaturesCount());
    out.printf(
        "provenance  %s (seed %d, %s)%n",
        b.getProvenance().getCommand(), b.getProvenance().getSeed(), b.getProvenance().getTool());
    if (backbone == null) {
      return 0;
    }
    CardFile card = CardFile.read(backbone);
    Map<String, float[]> given = BundleInputs.prompts(b);
    for (PromptSlot slot : card.promptInputs()) {
      out.printf(
          "card input  %s%s%n",
          slot, given.containsKey(slot.name()) ? "" : " (not in the bundle: identity)");
    }
    for (FeatureMap f : card.featureOutputs()) {
      out.printf(
          "card output %s%s%n",
          f, BundleInputs.headFeatures(b).contains(f.name()) ? " (read by the head)" : "");
    }
    BundleFileChecks.named(file, () -> new BundleReader(card, Long.MAX_VALUE).read(bytes));
    try (HeadModel head = HeadModel.open(b, card, InterpreterConfig.defaults())) {
      out.printf(
          "check       OK for backbone %s: hash, prompt and head shapes match;"
              + " head gives %d values per image%n",
          card.card().getName(), head.outputSize());
    }
    return 0;
  }

  private static String describe(PostProcessing p) {
    return switch (p.getKindCase()) {
      case DETECTION ->
          String.format(
              "detection: score >= %s, NMS IoU %s, at most %d boxes",
              p.getDetection().getScoreThreshold(),
              p.getDetection().getIouThreshold(),
              p.getDetection().getMaxDetections());
      case SEGMENTATION ->
          "segmentation: background class " + p.getSegmentation().getBackgroundClass();
      case CLASSIFICATION -> "classification: top " + p.getClassification().getTopK();
      default -> "(none)";
    };
  }
}
