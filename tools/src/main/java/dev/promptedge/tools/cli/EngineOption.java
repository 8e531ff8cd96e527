package dev.promptedge.tools.cli;

import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The {@code --engine} option of the commands that run a backbone as a device would: {@code tflite}
 * (default), {@code onnxruntime}, or {@code auto} (TFLite where its JNI library loads for this
 * os/arch, else ONNX Runtime).
 */
final class EngineOption {

  @Option(
      names = "--engine",
      defaultValue = "tflite",
      paramLabel = "ENGINE",
      converter = EngineOption.Parser.class,
      description =
          "Engine that runs the models: tflite, onnxruntime or auto (default: ${DEFAULT-VALUE})."
              + " onnxruntime runs the card's ONNX form (promptedge backbone export).")
  EngineKind engine = EngineKind.TFLITE;

  /** {@code config} run by the chosen engine, {@code auto} resolved for this host. */
  InterpreterConfig apply(InterpreterConfig config) {
    return config.withEngine(engine.resolve(config.jniLibrary()));
  }

  static final class Parser implements CommandLine.ITypeConverter<EngineKind> {
    @Override
    public EngineKind convert(String value) {
      try {
        return EngineKind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
