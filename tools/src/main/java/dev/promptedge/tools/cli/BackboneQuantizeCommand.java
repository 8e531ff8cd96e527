package dev.promptedge.tools.cli;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.quantize.QuantizeRequest;
import dev.promptedge.tools.quantize.QuantizeWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tensorflow.lite.schema.BuiltinOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge backbone quantize}: writes an int8 model beside the float one. */
@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
      "Quantize a backbone for the TFLite 2.6.2 interpreter and record it in the card as"
          + " quantized_model (a card holds one; a new run replaces the entry). 'dynamic': int8"
          + " weights, float activations -> NAME-dynamic.tflite. 'int8': int8 weights and"
          + " activations with ranges from calibration images; float pixels/prompt/features kept"
          + " at the edges -> NAME-int8.tflite. Prints size and drift against the float model on"
          + " held-out images.",
      "",
      "Example: promptedge backbone quantize --card models/micro-shallow.card.textproto"
          + " --mode int8 --calibration images/"
    })
final class BackboneQuantizeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--card", required = true, paramLabel = "CARD", description = "Backbone card.")
  Path cardPath;

  @Option(
      names = "--mode",
      required = true,
      description = "${COMPLETION-CANDIDATES}: dynamic range or full integer.")
  Mode mode;

  @Option(
      names = "--calibration",
      paramLabel = "DIR",
      description =
          "PNG/JPEG images for calibration; the last fifth (at most --held-out) is held out for"
              + " the drift check. Without it: seeded synthetic images.")
  Path calibrationDir;

  @Option(
      names = "--calibration-count",
      paramLabel = "N",
      defaultValue = "32",
      description = "Calibration images to use at most (default: ${DEFAULT-VALUE}).")
  int calibrationCount;

  @Option(
      names = "--held-out",
      paramLabel = "N",
      defaultValue = "8",
      description = "Held-out images for the drift check at most (default: ${DEFAULT-VALUE}).")
  int heldOut;

  @Option(
      names = "--percentile",
      defaultValue = "100",
      description = "Activation range: 100 = min/max, e.g. 99.99 clips outliers (default: 100).")
  double percentile;

  @Option(
      names = "--prompt-std",
      defaultValue = "0.02",
      description =
          "Std of the random calibration prompts (every fourth is zeros); raise it to the scale of"
              + " your trained prompts (default: ${DEFAULT-VALUE}).")
  float promptStd;

  @Option(
      names = "--calibration-bundle",
      paramLabel = "FILE",
      description =
          "A bundle for this backbone whose trained prompts the calibration (and the drift check)"
              + " feeds, repeatable: the samples cycle through each bundle's prompts and the"
              + " identity plus --prompt-std noise, so the int8 ranges cover the prompts the"
              + " device will run (re-pack the bundles afterwards: promptedge bundle repack).")
  List<Path> calibrationBundles = List.of();

  @CommandLine.Mixin SeedOption seed = new SeedOption(7);

  @CommandLine.Mixin ThreadsOption threads = new ThreadsOption(1);

  @Option(
      names = "--xnnpack",
      negatable = true,
      defaultValue = "false",
      description = "Run calibration and drift with the XNNPACK delegate (default: off).")
  boolean xnnpack;

  @Option(
      names = "--keep-float",
      split = ",",
      paramLabel = "OP",
      description =
          "int8 only: op kinds to keep float32, e.g. FULLY_CONNECTED,BATCH_MATMUL,CONV_2D (the"
              + " kinds whose int8 kernels are ~50x slower than float in the x86-64 TFLite 2.6.2"
              + " library; for x86 hosts, not for ARM boards). Default: none.")
  List<String> keepFloat = List.of();

  /** Quantization modes. */
  enum Mode {
    dynamic,
    int8
  }

  @Override
  public Integer call() throws Exception {
    if (mode == Mode.dynamic && !keepFloat.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--keep-float applies to --mode int8 only; dynamic range changes only the weights of"
              + " CONV_2D, FULLY_CONNECTED and BATCH_MATMUL (use the float model to keep them)");
    }
    Set<Integer> floatKinds = floatKinds();
    CardFile card = CardFile.read(cardPath);
    QuantizeWorkflow.run(
        new QuantizeRequest(
            card,
            mode == Mode.dynamic ? Precision.INT8_DYNAMIC : Precision.INT8_FULL,
            Optional.ofNullable(calibrationDir),
            calibrationCount,
            heldOut,
            percentile,
            promptStd,
            trainedPrompts(card),
            calibrationBundles.stream().map(b -> b.getFileName().toString()).toList(),
            seed.value(),
            new InterpreterConfig(threads.value(), xnnpack, Optional.empty()),
            floatKinds,
            Provenances.command(spec),
            "promptedge " + PromptEdgeCli.VERSION),
        spec.commandLine().getOut());
    return 0;
  }

  /** The prompts of each --calibration-bundle, checked to be made for {@code card}. */
  private List<Map<String, float[]>> trainedPrompts(CardFile card) throws IOException {
    List<Map<String, float[]>> sets = new ArrayList<>();
    for (Path file : calibrationBundles) {
      Bundle bundle = BundleReader.parse(Files.readAllBytes(file), BundleReader.DEFAULT_MAX_BYTES);
      String sha = card.card().getFloatModel().getSha256();
      if (!bundle.bundle().getBackboneSha256().equals(sha)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--calibration-bundle "
                + file
                + " was made for backbone "
                + bundle.bundle().getBackboneSha256()
                + ", not for "
                + card.card().getName()
                + " ("
                + sha
                + "): pass bundles trained on this card");
      }
      sets.add(BundleInputs.prompts(bundle.bundle()));
    }
    return sets;
  }

  private Set<Integer> floatKinds() {
    Set<Integer> kinds = new HashSet<>();
    List<String> known = Arrays.asList(BuiltinOperator.names);
    for (String name : keepFloat) {
      int code = known.indexOf(name.trim().toUpperCase(Locale.ROOT));
      if (code < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--keep-float: '" + name + "' is not a TFLite builtin op name (e.g. FULLY_CONNECTED)");
      }
      kinds.add(code);
    }
    return kinds;
  }
}
