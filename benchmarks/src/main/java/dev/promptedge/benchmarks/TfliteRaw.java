package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.nio.ByteBuffer;
import java.util.Map;
import org.tensorflow.lite.Interpreter;

/**
 * {@link RawInference} on TFLite: {@link Interpreter} called directly with pre-filled direct
 * buffers, the backbone then the head reading the backbone's output buffer.
 */
final class TfliteRaw implements RawInference {

  private final Interpreter backbone;
  private final Interpreter head;
  private final Object[] backboneInputs = new Object[2];
  private final Map<Integer, Object> backboneOutputs;
  private final ByteBuffer features;
  private final Object[] headInputs;
  private final ByteBuffer out;
  private final Map<Integer, Object> headOutputs;

  private TfliteRaw(Interpreter backbone, Interpreter head, RawInference.Inputs in, String key) {
    this.backbone = backbone;
    this.head = head;
    ByteBuffer pixelBuffer = Engines.direct(in.pixels().length * Float.BYTES);
    pixelBuffer.asFloatBuffer().put(in.pixels());
    ByteBuffer promptBuffer = Engines.direct(in.prompt().length * Float.BYTES);
    promptBuffer.asFloatBuffer().put(in.prompt());
    backboneInputs[Engines.inputPosition(backbone, key, Backbone.PIXELS)] = pixelBuffer;
    backboneInputs[Engines.inputPosition(backbone, key, PROMPT)] = promptBuffer;
    features = Engines.direct(in.featureFloats() * Float.BYTES);
    backboneOutputs = Map.of(Engines.outputPosition(backbone, key, FEATURES), features);
    headInputs = new Object[] {features};
    out = Engines.direct(in.headFloats() * Float.BYTES);
    headOutputs = Map.of(0, out);
  }

  static TfliteRaw open(RawInference.Inputs in, InterpreterConfig config) {
    Interpreter backbone =
        new Interpreter(Engines.map(in.card().modelPath(in.quantized())), Engines.options(config));
    byte[] headBytes = in.bundle().getHead().toByteArray();
    ByteBuffer headModel = Engines.direct(headBytes.length);
    headModel.put(headBytes).rewind();
    Interpreter head = new Interpreter(headModel, Engines.options(config));
    return new TfliteRaw(backbone, head, in, in.card().card().getSignature());
  }

  @Override
  public Object run() {
    for (Object b : backboneInputs) {
      ((ByteBuffer) b).rewind();
    }
    features.rewind();
    backbone.runForMultipleInputsOutputs(backboneInputs, backboneOutputs);
    features.rewind();
    out.rewind();
    head.runForMultipleInputsOutputs(headInputs, headOutputs);
    return out;
  }

  @Override
  public void close() {
    head.close();
    backbone.close();
  }
}
