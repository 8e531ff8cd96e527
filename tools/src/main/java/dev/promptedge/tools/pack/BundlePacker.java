package dev.promptedge.tools.pack;

import com.google.protobuf.ByteString;
import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.NamedTensor;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SelfTest;
import dev.promptedge.format.SelfTestExpectation;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.task.BundleSelfTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Packs bundle contents into an unsigned {@link SignedBundle} holding a version 2 bundle: it runs
 * the self-test image on every model file of the card (float and, when present, quantized; each
 * flatbuffer on TFLite and its recorded ONNX form on ONNX Runtime) through the runtime's own
 * inference path, records the head outputs as expectations keyed by that file's hash, and checks
 * the result as a device would.
 */
public final class BundlePacker {

  /** Relative tolerance of a self-test expectation, scaled by the output's largest magnitude. */
  static final float RELATIVE_TOLERANCE = 1e-3f;

  /**
   * The same for an int8 file: int8 kernels round differently from one CPU to the next (ONNX
   * Runtime's MLAS on aarch64 gave the demo heads 1.2-1.7x the float tolerance off the x86 values).
   */
  static final float QUANTIZED_RELATIVE_TOLERANCE = 4e-3f;

  private BundlePacker() {}

  /**
   * Packs {@code contents} for {@code card}'s backbone.
   *
   * @throws dev.promptedge.runtime.bundle.BundleException when the result would be refused on a
   *     device (wrong prompt shape, head that does not fit, ...)
   */
  public static Bundle pack(CardFile card, BundleContents contents, InterpreterConfig config) {
    PromptBundle.Builder bundle =
        PromptBundle.newBuilder()
            .setFormatVersion(BundleReader.FORMAT_VERSION)
            .setName(contents.name())
            .setTask(contents.task())
            .setVersion(contents.version())
            .setBackboneSha256(card.card().getFloatModel().getSha256())
            .addAllLabels(contents.labels())
            .addAllPrompts(prompts(contents.prompts(), card))
            .setHead(ByteString.copyFrom(contents.head()))
            .addAllHeadFeatures(contents.headFeatures())
            .setPostProcessing(contents.postProcessing())
            .putAllMetrics(contents.metrics())
            .setProvenance(contents.provenance());
    SelfTest.Builder selfTest =
        SelfTest.newBuilder().setInputPng(ByteString.copyFrom(contents.selfTestPng()));
    bundle.setSelfTest(selfTest);
    BundleReader reader = new BundleReader(card, Long.MAX_VALUE);
    reader.read(envelope(bundle.build()));
    InterpreterConfig tflite = config.withEngine(EngineKind.TFLITE);
    InterpreterConfig onnx = config.withEngine(EngineKind.ONNXRUNTIME);
    selfTest.addExpectations(expectation(card, false, bundle.build(), tflite));
    if (card.card().hasOnnxModel()) {
      selfTest.addExpectations(expectation(card, false, bundle.build(), onnx));
    }
    if (card.card().hasQuantizedModel()) {
      selfTest.addExpectations(expectation(card, true, bundle.build(), tflite));
      if (card.card().hasOnnxQuantizedModel()) {
        selfTest.addExpectations(expectation(card, true, bundle.build(), onnx));
      }
    }
    bundle.setSelfTest(selfTest);
    return reader.read(envelope(bundle.build()));
  }

  private static byte[] envelope(PromptBundle bundle) {
    return SignedBundle.newBuilder()
        .setFormatVersion(BundleReader.ENVELOPE_VERSION)
        .setBundle(bundle.toByteString())
        .build()
        .toByteArray();
  }

  private static SelfTestExpectation expectation(
      CardFile card, boolean quantized, PromptBundle bundle, InterpreterConfig config) {
    try (Backbone backbone = Backbone.open(card, quantized, config)) {
      ModelFile file = backbone.runningFile();
      float[] output = BundleSelfTest.headOutput(backbone, bundle, config);
      float largest = 1f;
      FloatTensor.Builder tensor = FloatTensor.newBuilder().addShape(output.length);
      for (float v : output) {
        tensor.addValues(v);
        largest = Math.max(largest, Math.abs(v));
      }
      return SelfTestExpectation.newBuilder()
          .setBackboneFileSha256(file.getSha256())
          .setOutput(tensor)
          .setTolerance((quantized ? QUANTIZED_RELATIVE_TOLERANCE : RELATIVE_TOLERANCE) * largest)
          .build();
    }
  }

  /** One named tensor per prompt, shaped like the card's prompt input of that name. */
  private static List<NamedTensor> prompts(Map<String, float[]> prompts, CardFile card) {
    List<NamedTensor> named = new ArrayList<>();
    for (Map.Entry<String, float[]> e : prompts.entrySet()) {
      FloatTensor.Builder tensor = FloatTensor.newBuilder();
      card.promptInput(e.getKey()).ifPresent(slot -> tensor.addAllShape(slot.shape()));
      for (float v : e.getValue()) {
        tensor.addValues(v);
      }
      named.add(NamedTensor.newBuilder().setInput(e.getKey()).setTensor(tensor).build());
    }
    return named;
  }
}
