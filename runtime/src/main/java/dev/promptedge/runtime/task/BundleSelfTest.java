package dev.promptedge.runtime.task;

import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Precision;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SelfTestExpectation;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/**
 * A bundle's self-test: its embedded image goes through the same path as a request, and the head's
 * output must match the expectation recorded for the running backbone file. The host computes the
 * expectation with {@link #headOutput}, the device checks it before a bundle can become active.
 */
public final class BundleSelfTest {

  /** Largest self-test image accepted, in pixels. */
  static final long MAX_PIXELS = 1L << 20;

  private BundleSelfTest() {}

  /**
   * Runs {@code bundle}'s self-test image through {@code backbone} with the bundle's prompts and
   * head, and returns the head output: what a packer records as the expectation.
   */
  public static float[] headOutput(
      Backbone backbone, PromptBundle bundle, InterpreterConfig config) {
    HeadModel head = HeadModel.open(bundle, backbone.card(), config);
    ResidentBundle resident =
        new ResidentBundle(
            new Bundle(dev.promptedge.format.SignedBundle.getDefaultInstance(), bundle, 0),
            backbone.completePrompts(BundleInputs.prompts(bundle)),
            head,
            PostProcessor.of(bundle, backbone.card()));
    try {
      return run(new BatchRunner(backbone), resident);
    } finally {
      resident.release();
    }
  }

  /**
   * Checks a loaded bundle on this backbone.
   *
   * @throws BundleException with code {@code self_test_failed} when the output is off or there is
   *     no expectation for the running backbone file
   */
  static void check(BatchRunner runner, Backbone backbone, ResidentBundle bundle) {
    PromptBundle b = bundle.bundle().bundle();
    String who = "bundle '" + b.getName() + "' v" + b.getVersion();
    SelfTestExpectation expectation = expectation(backbone, b, who);
    float[] actual = run(runner, bundle);
    FloatTensor expected = expectation.getOutput();
    if (expected.getValuesCount() != actual.length) {
      throw new BundleException(
          "self_test_failed",
          who
              + " failed its self-test: the head gave "
              + actual.length
              + " values, the bundle expects "
              + expected.getValuesCount());
    }
    double worst = 0;
    int worstAt = 0;
    for (int i = 0; i < actual.length; i++) {
      double error = Math.abs(actual[i] - expected.getValues(i));
      if (!(error <= worst)) {
        worst = error;
        worstAt = i;
      }
    }
    if (!(worst <= expectation.getTolerance())) {
      throw new BundleException(
          "self_test_failed",
          who
              + " failed its self-test on this device: output "
              + worstAt
              + " is off by "
              + worst
              + ", more than the tolerance "
              + expectation.getTolerance()
              + "; the bundle was not installed");
    }
  }

  /**
   * The expectation recorded for the file the engine runs. A float ONNX model may use its
   * flatbuffer's (the translation agrees within 1e-4 of scale); an int8 one may not, because the
   * engines round int8 differently.
   */
  private static SelfTestExpectation expectation(Backbone backbone, PromptBundle b, String who) {
    ModelFile running = backbone.runningFile();
    ModelFile flatbuffer = backbone.modelFile();
    Optional<SelfTestExpectation> own = expectationFor(b, running.getSha256());
    if (own.isPresent()) {
      return own.get();
    }
    boolean translatedFloat = running != flatbuffer && running.getPrecision() == Precision.FLOAT32;
    if (translatedFloat) {
      Optional<SelfTestExpectation> source = expectationFor(b, flatbuffer.getSha256());
      if (source.isPresent()) {
        return source.get();
      }
    }
    throw new BundleException(
        "self_test_failed",
        who
            + " has no self-test expectation for the backbone file this device runs ("
            + running.getPath()
            + ", "
            + running.getSha256().substring(0, 12)
            + "…): re-pack it with promptedge bundle repack against a card that records this"
            + " file"
            + (running == flatbuffer ? "" : " (promptedge backbone export writes the ONNX forms)"));
  }

  private static Optional<SelfTestExpectation> expectationFor(PromptBundle b, String sha256) {
    return b.getSelfTest().getExpectationsList().stream()
        .filter(e -> e.getBackboneFileSha256().equals(sha256))
        .findFirst();
  }

  private static float[] run(BatchRunner runner, ResidentBundle bundle) {
    byte[] png = bundle.bundle().bundle().getSelfTest().getInputPng().toByteArray();
    BufferedImage image;
    try {
      image = new ImageDecoder(MAX_PIXELS).decode(png);
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "self_test_failed", "the bundle's self-test image is unusable: " + e.getMessage());
    }
    return runner
        .run(List.of(TaskRequest.of(image, bundle.name())), List.of(bundle))
        .get(0)
        .headOutput();
  }
}
