package dev.promptedge.tools.cli;

import dev.promptedge.tools.importer.Inspection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge backbone inspect}: what a pretrained model to import holds — inputs, outputs,
 * operators the host engine runs or not, and the candidate feature tensors for {@code --features}.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show a pretrained .tflite or TF.js model.json before importing it: inputs, outputs,"
          + " operators (supported or not by the host engine, after folding DEQUANTIZE weights;"
          + " TF.js ops as converted to TFLite builtins) and the candidate feature tensors (4-D"
          + " NHWC activations) with stride and channels in graph order; 'trainable' marks those"
          + " before any op the host engine cannot run.",
      "",
      "Example: promptedge backbone inspect --model work/package/models/nanodet.json"
    })
final class BackboneInspectCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE",
      description = "A .tflite file or a TF.js graph model's model.json (shards beside it).")
  Path model;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Inspection i = Inspection.of(model);
    out.printf("model %s%n", model);
    i.inputs().forEach((k, v) -> out.printf("  input  %s %s%n", k, v));
    i.outputs().forEach((k, v) -> out.printf("  output %s %s%n", k, v));
    if (i.foldedDequantize() > 0) {
      out.printf("folded %d DEQUANTIZE weights into float32 constants%n", i.foldedDequantize());
    }
    out.println("operators:");
    i.ops()
        .forEach(
            (op, n) ->
                out.printf(
                    "  %-22s %4d  %s%n",
                    op,
                    n,
                    i.unsupported().contains(op) ? "NOT supported by the host engine" : "ok"));
    out.println("candidate feature tensors (graph order): stride  HxWxC  trainable  name");
    for (Inspection.Candidate c : i.candidates()) {
      out.printf(
          "  s%-3d %4dx%-4dx%-5d %-5s %s%n",
          c.stride(), c.height(), c.width(), c.channels(), c.trainable() ? "yes" : "no", c.name());
    }
    return 0;
  }
}
