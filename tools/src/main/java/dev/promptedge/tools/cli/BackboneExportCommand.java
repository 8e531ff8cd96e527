package dev.promptedge.tools.cli;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.onnx.OnnxExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge backbone export}: writes the ONNX forms of a card's float and quantized
 * backbone beside the card and records them there, so devices can run either on ONNX Runtime.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write the ONNX form of a card's float backbone as NAME.onnx beside the card and record it"
          + " in the card (onnx_model, with its SHA-256), for devices whose profile says"
          + " interpreter { engine: \"onnxruntime\" }. A card with a quantized model also gets"
          + " NAME-int8.onnx (onnx_quantized_model): the int8 model in QDQ form with its own"
          + " scales and zero points, which ONNX Runtime runs on its int8 kernels.",
      "",
      "Example: promptedge backbone export --card models/demo/demo-vit.card.textproto"
    })
final class BackboneExportCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--card",
      required = true,
      paramLabel = "CARD",
      description = "The backbone card (.card.textproto) whose float model to export.")
  Path card;

  @Option(
      names = "--format",
      defaultValue = "onnx",
      paramLabel = "FORMAT",
      description = "The form to write; only onnx (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() throws Exception {
    if (!format.equals("onnx")) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--format " + format + " is not supported: use --format onnx");
    }
    CardFile exported = OnnxExport.export(CardFile.read(card));
    PrintWriter out = spec.commandLine().getOut();
    for (boolean quantized : new boolean[] {false, true}) {
      if (quantized && !exported.card().hasOnnxQuantizedModel()) {
        continue;
      }
      out.printf(
          "wrote %s (%,d bytes, sha256 %s) and recorded it in %s%n",
          exported.onnxPath(quantized),
          exported.onnxModel(quantized).getSizeBytes(),
          exported.onnxModel(quantized).getSha256(),
          exported.path());
    }
    out.flush();
    return 0;
  }
}
