package dev.promptedge.tools.cli;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.tools.onnx.OnnxExport;
import dev.promptedge.tools.quantize.Calibration;
import dev.promptedge.tools.quantize.CalibrationImages;
import dev.promptedge.tools.quantize.Drift;
import dev.promptedge.tools.quantize.QuantizedBackboneFiles;
import dev.promptedge.tools.quantize.QuantizedModel;
import dev.promptedge.tools.quantize.Quantizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    PrintWriter out = spec.commandLine().getOut();
    CardFile card = CardFile.read(cardPath);
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    InterpreterConfig config = new InterpreterConfig(threads.value(), xnnpack, Optional.empty());
    int width = card.card().getInputWidth();
    int height = card.card().getInputHeight();
    CalibrationImages calibrationImages;
    CalibrationImages heldOutImages;
    if (calibrationDir != null) {
      CalibrationImages all = CalibrationImages.fromDirectory(calibrationDir);
      int n = all.images().size();
      int held = n < 2 ? 0 : Math.max(1, Math.min(heldOut, n / 5));
      calibrationImages =
          new CalibrationImages(all.images().subList(0, n - held), all.description(), all.sha256())
              .first(calibrationCount);
      heldOutImages =
          held > 0
              ? new CalibrationImages(
                  all.images().subList(n - held, n), "last " + held + " of " + calibrationDir, "")
              : CalibrationImages.synthetic(width, height, heldOut, seed.value() * 1000 + 500);
    } else {
      out.println(
          "no --calibration DIR: calibrating on seeded synthetic images (say so in results)");
      calibrationImages =
          CalibrationImages.synthetic(width, height, calibrationCount, seed.value() * 1000);
      heldOutImages =
          CalibrationImages.synthetic(width, height, heldOut, seed.value() * 1000 + 500);
    }
    List<Map<String, float[]>> trained = trainedPrompts(card);
    List<Map<String, float[]>> heldOutSamples =
        Calibration.forBackbone(card, heldOutImages.images(), promptStd, seed.value() + 1, trained)
            .samples();

    QuantizedModel quantized;
    String data;
    if (mode == Mode.dynamic) {
      if (!keepFloat.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--keep-float applies to --mode int8 only; dynamic range changes only the weights of"
                + " CONV_2D, FULLY_CONNECTED and BATCH_MATMUL (use the float model to keep them)");
      }
      quantized = Quantizer.dynamicRange(floatModel);
      data = "none (dynamic range needs no calibration)";
    } else {
      Calibration calibration =
          Calibration.forBackbone(
                  card, calibrationImages.images(), promptStd, seed.value(), trained)
              .withPercentile(percentile);
      quantized =
          Quantizer.fullInteger(
              floatModel,
              calibration,
              config,
              floatKinds(),
              (done, total) -> {
                if (System.console() != null) {
                  out.printf("\rcalibration: %d/%d samples through the float model", done, total);
                  out.flush();
                }
                if (done.equals(total)) {
                  out.printf(
                      "%scalibration: %d/%d samples through the float model%n",
                      System.console() != null ? "\r" : "", done, total);
                }
              });
      data =
          calibrationImages.images().size()
              + " of "
              + calibrationImages.description()
              + (calibrationImages.sha256().isEmpty()
                  ? ""
                  : " (listing sha256 " + calibrationImages.sha256() + ")")
              + (trained.isEmpty()
                  ? ", prompts N(0, " + promptStd + "^2) with every fourth zero"
                  : ", prompts cycling through those of "
                      + calibrationBundles.stream()
                          .map(b -> b.getFileName().toString())
                          .collect(java.util.stream.Collectors.joining(", "))
                      + " and identity + N(0, "
                      + promptStd
                      + "^2)")
              + ", percentile "
              + percentile;
    }
    Drift drift =
        Drift.measure(
            floatModel,
            quantized.bytes(),
            card.card().getSignature(),
            card.featureOutputs().get(0).name(),
            heldOutSamples,
            config);
    String note =
        String.format(
            "quantized %s by %s: %s; calibration: %s; seed %d; drift on %s: cosine mean %.4f"
                + " min %.4f, max abs error %.4g",
            quantized.precision(),
            "promptedge " + PromptEdgeCli.VERSION,
            Provenances.command(spec),
            data,
            seed.value(),
            heldOutImages.description(),
            drift.meanCosine(),
            drift.minCosine(),
            drift.maxAbsError());
    CardFile updated = QuantizedBackboneFiles.write(card, quantized, note);
    try {
      updated = OnnxExport.export(updated);
      out.printf(
          "wrote the ONNX forms %s and %s (QDQ) for engine onnxruntime%n",
          updated.onnxPath(false), updated.onnxPath(true));
    } catch (IllegalArgumentException e) {
      out.println(
          "no ONNX forms written (the card keeps no onnx_quantized_model): " + e.getMessage());
    }
    try (Backbone backbone = Backbone.open(updated, true, config)) {
      out.printf(
          "wrote %s; card %s now names it (the runtime opens it: signature '%s', %s batch)%n",
          updated.modelPath(true),
          updated.path(),
          updated.card().getSignature(),
          backbone.dynamicBatch() ? "dynamic" : "fixed");
    }
    printTable(out, card, floatModel.length, quantized, drift, heldOutImages);
    printOps(out, quantized);
    return 0;
  }

  /** The prompts of each --calibration-bundle, checked to be made for {@code card}. */
  private List<Map<String, float[]>> trainedPrompts(CardFile card) throws java.io.IOException {
    List<Map<String, float[]>> sets = new java.util.ArrayList<>();
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

  private java.util.Set<Integer> floatKinds() {
    java.util.Set<Integer> kinds = new java.util.HashSet<>();
    List<String> known = java.util.Arrays.asList(BuiltinOperator.names);
    for (String name : keepFloat) {
      int code = known.indexOf(name.trim().toUpperCase(java.util.Locale.ROOT));
      if (code < 0) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--keep-float: '" + name + "' is not a TFLite builtin op name (e.g. FULLY_CONNECTED)");
      }
      kinds.add(code);
    }
    return kinds;
  }

  private static void printTable(
      PrintWriter out,
      CardFile card,
      int floatSize,
      QuantizedModel quantized,
      Drift drift,
      CalibrationImages heldOut) {
    String label = quantized.precision() == Precision.INT8_FULL ? "int8 full" : "int8 dynamic";
    out.printf(
        "%-13s %10s %7s %15s %15s%n", "model", "bytes", "ratio", "cosine mean/min", "max abs err");
    out.printf("%-13s %10d %7.3f %15s %15s%n", "float32", floatSize, 1.0, "1.0000/1.0000", "0");
    out.printf(
        "%-13s %10d %7.3f %15s %15s%n",
        label,
        quantized.size(),
        quantized.size() / (double) floatSize,
        String.format("%.4f/%.4f", drift.meanCosine(), drift.minCosine()),
        String.format("%.4g", drift.maxAbsError()));
    out.printf(
        "drift: features of %s on %d held-out samples (%s); largest |float feature| %.4g%n",
        card.card().getName(), drift.samples(), heldOut.description(), drift.maxAbsReference());
  }

  private static void printOps(PrintWriter out, QuantizedModel quantized) {
    Map<String, Integer> int8 = new TreeMap<>();
    for (String op : quantized.int8Ops()) {
      int8.merge(op.split(" ", 2)[0], 1, Integer::sum);
    }
    out.println("int8 ops: " + int8);
    if (quantized.floatOps().isEmpty()) {
      out.println("float ops: none");
    } else {
      out.println("float ops (" + quantized.floatOps().size() + "):");
      for (String op : quantized.floatOps()) {
        out.println("  " + op);
      }
    }
  }
}
