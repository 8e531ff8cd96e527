package dev.promptedge.tools.cli;

import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.importer.BackboneImporter;
import dev.promptedge.tools.importer.ForwardTiming;
import dev.promptedge.tools.importer.ImportedBackbone;
import dev.promptedge.tools.json.Json;
import dev.promptedge.tools.json.JsonWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
          + " NAME.tflite and NAME.import.json, after checking the host engine against the"
          + " interpreter and the features (identity prompts) against the original model.",
      "",
      "Example: promptedge backbone import --model nanodet.json --out models/nanodet"
          + " --input-size 128x128 --features A,B --prompt pixel --prompt-blocks C,D"
    })
final class BackboneImportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "FILE", description = "Source model.")
  Path model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

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
      description = "License of the source model, recorded in the description.")
  String license;

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
    PrintWriter log = spec.commandLine().getOut();
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
    long start = System.nanoTime();
    ImportedBackbone b =
        BackboneImporter.importModel(
            model,
            new BackboneImporter.Options(
                chosen,
                prompts.contains("pixel"),
                prompts.contains("channel") ? blocks : List.of(),
                h,
                w,
                tfjsReference));
    Files.createDirectories(out);
    Path tflite = out.resolve(name + ".tflite");
    Files.write(tflite, b.model());
    Path description = out.resolve(name + ".import.json");
    Files.writeString(description, JsonWriter.write(describe(b)) + "\n", StandardCharsets.UTF_8);
    log.printf(
        "wrote %s (%d bytes) and %s in %.1f s%n",
        tflite, b.model().length, description, (System.nanoTime() - start) / 1e9);
    log.printf(
        "parity (max |diff| / max |reference|): host engine vs interpreter %.2e (tolerance %.0e),"
            + " identity prompts vs source %.2e (%.0e), converted vs TF.js %.2e (%.0e); %s%n",
        b.parity().hostVsInterpreter(),
        BackboneImporter.HOST_TOLERANCE,
        b.parity().importedVsOriginal(),
        BackboneImporter.TFLITE_TOLERANCE,
        b.parity().convertedVsTfjs(),
        BackboneImporter.TFJS_TOLERANCE,
        b.parity().note());
    Map<String, Integer> ops = new java.util.TreeMap<>();
    TfliteGraph.read(b.model(), ImportedBackbone.SIGNATURE)
        .operatorNames()
        .forEach(op -> ops.merge(op, 1, Integer::sum));
    log.printf("operators: %s%n", ops);
    if (timeRuns > 0) {
      ForwardTiming t = ForwardTiming.measure(b.model(), timeRuns);
      log.printf(
          "forward at batch 1 (median of %d): host engine %.3f s, interpreter (1 thread) %.3f s%n",
          timeRuns, t.hostSeconds(), t.interpreterSeconds());
    }
    return 0;
  }

  private Map<String, Object> describe(ImportedBackbone b) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("signature", ImportedBackbone.SIGNATURE);
    d.put("source", model.getFileName().toString());
    d.put("source_sha256", b.sourceSha256());
    d.put("license", license);
    d.put("command", Provenances.command(spec));
    d.put("input_height", (long) b.inputHeight());
    d.put("input_width", (long) b.inputWidth());
    d.put("dynamic_batch", b.dynamicBatch());
    List<Object> prompts = new ArrayList<>();
    for (ImportedBackbone.PromptInput p : b.prompts()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("kind", p.kind().name());
      m.put("shape", p.shape().stream().map(Long::valueOf).toList());
      m.put("placement", p.placement());
      prompts.add(m);
    }
    d.put("prompt_inputs", prompts);
    List<Object> features = new ArrayList<>();
    for (ImportedBackbone.FeatureOutput f : b.features()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", f.name());
      m.put("stride", (long) f.stride());
      m.put("channels", (long) f.channels());
      m.put("height", (long) f.height());
      m.put("width", (long) f.width());
      m.put("source_tensor", f.source());
      features.add(m);
    }
    d.put("feature_outputs", features);
    Map<String, Object> parity = new LinkedHashMap<>();
    parity.put("host_vs_interpreter", b.parity().hostVsInterpreter());
    parity.put("imported_vs_source", b.parity().importedVsOriginal());
    parity.put(
        "converted_vs_tfjs",
        Double.isNaN(b.parity().convertedVsTfjs()) ? Json.NULL : b.parity().convertedVsTfjs());
    parity.put("note", b.parity().note());
    d.put("parity", parity);
    return d;
  }
}
