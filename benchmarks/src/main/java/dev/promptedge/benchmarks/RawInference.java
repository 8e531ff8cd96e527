package dev.promptedge.benchmarks;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;

/**
 * The bare engine under one image through backbone and head: inputs filled once into native-order
 * buffers, the backbone's output buffer fed straight to the head, no copies into Java arrays. Owns
 * its interpreters or sessions; not thread-safe.
 */
interface RawInference extends AutoCloseable {

  /** The backbone's token prompt input and feature output. */
  String PROMPT = "prompt";

  String FEATURES = "features";

  /** Runs backbone then head once; returns the head's output buffer. */
  Object run();

  @Override
  void close();

  /** What both paths are opened on: the model files, one image's inputs and the output sizes. */
  record Inputs(
      CardFile card,
      boolean quantized,
      PromptBundle bundle,
      float[] pixels,
      float[] prompt,
      int featureFloats,
      int headFloats) {}

  /** The bare path of {@code config.engine()}. */
  static RawInference open(Inputs inputs, InterpreterConfig config) {
    return config.engine() == EngineKind.ONNXRUNTIME
        ? OrtRaw.open(inputs, config)
        : TfliteRaw.open(inputs, config);
  }
}
