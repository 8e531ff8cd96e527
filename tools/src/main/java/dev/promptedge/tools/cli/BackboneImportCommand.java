package dev.promptedge.tools.cli;

import dev.promptedge.tools.importer.BackboneImporter;
import dev.promptedge.tools.importer.ImportRequest;
import dev.promptedge.tools.importer.ImportWorkflow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge backbone import}: a pretrained .tflite or TF.js model becomes a promptable
 * float backbone (signature {@code encode}) with a description of its prompt inputs and feature
 * outputs, proven against the interpreter and the original model.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a pretrained .tflite or TF.js model.json as a promptable frozen backbone: folds"
          + " float16/uint8 DEQUANTIZE weights, converts TF.js ops to TFLite builtins, cuts the"
          + " graph at the feature tensors, inserts prompt inputs (pixel: ADD on the input;"
          + " channel: x*gamma+beta after chosen tensors) and frees the batch. Writes"
          + " NAME.tflite and its contract v2 card NAME.card.textproto, after checking the host engine against the"
          + " interpreter and the features (identity prompts) against the original model.",
      "",
      "Example: promptedge backbone import --model nanodet.json --out models/nanodet"
          + " --input-size 128x128 --features A,B --prompt pixel --prompt-blocks C,D"
    })
final class BackboneImportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Source model.")
  Path model;

  @CommandLine.Mixin OutDirOption out;

  @Option(
      names = "--name",
      defaultValue = "imported",
      description = "File stem (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--features",
      defaultValue = "auto",
      split = ",",
      description = "Feature tensors, finest first, or 'auto' (see backbone inspect).")
  List<String> features;

  @Option(names = "--prompt", description = "Prompt kinds to add: pixel, channel (repeatable).")
  List<String> prompts = new ArrayList<>();

  @Option(
      names = "--prompt-blocks",
      split = ",",
      description = "Tensors the channel prompts follow (with --prompt channel).")
  List<String> blocks = new ArrayList<>();

  @Option(names = "--input-size", paramLabel = "HxW", description = "Input size (TF.js models).")
  String inputSize;

  @Option(
      names = "--license",
      defaultValue = "",
      description = "License of the source model, recorded in the card.")
  String license;

  @Option(
      names = "--normalization",
      defaultValue = "auto",
      paramLabel = "mean,std|auto",
      description =
          "Pixel normalization the network expects, in units of rgb/255: mean,std for all"
              + " channels, mR,mG,mB,sR,sG,sB, or auto (the source's card STEM.card.textproto"
              + " next to it, else ImageNet with a note). Default: ${DEFAULT-VALUE}.")
  String normalization;

  @Option(
      names = "--architecture",
      defaultValue = "cnn",
      description = "Architecture family recorded in the card (default: ${DEFAULT-VALUE}).")
  String architecture;

  @Option(
      names = "--tfjs-reference",
      paramLabel = "DIR",
      description = "Directory with tfjs-reference.js and node_modules (TF.js parity check).")
  Path tfjsReference;

  @Option(
      names = "--time",
      defaultValue = "0",
      paramLabel = "RUNS",
      description = "Also time RUNS batch-1 forwards on each engine and print the medians.")
  int timeRuns;

  @Override
  public Integer call() throws Exception {
    int h = 0;
    int w = 0;
    if (inputSize != null) {
      String[] parts = inputSize.toLowerCase().split("x");
      try {
        h = Integer.parseInt(parts[0]);
        w = Integer.parseInt(parts[1]);
      } catch (RuntimeException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--input-size must be HxW, e.g. 128x128, got " + inputSize);
      }
    }
    for (String p : prompts) {
      if (!p.equals("pixel") && !p.equals("channel")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--prompt takes pixel or channel, got " + p);
      }
    }
    if (prompts.contains("channel") && blocks.isEmpty()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--prompt channel needs --prompt-blocks T1,T2,...");
    }
    List<String> chosen = features.equals(List.of("auto")) ? List.of() : features;
    ImportWorkflow.run(
        new ImportRequest(
            model,
            out.value(),
            new BackboneImporter.Options(
                chosen,
                prompts.contains("pixel"),
                prompts.contains("channel") ? blocks : List.of(),
                h,
                w,
                tfjsReference),
            normalization,
            name,
            architecture,
            license,
            Provenances.of(spec, 0, ""),
            timeRuns),
        spec.commandLine().getOut());
    return 0;
  }
}
