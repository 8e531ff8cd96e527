package dev.promptedge.runtime.bundle;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.runtime.tflite.ModelCheckException;
import dev.promptedge.runtime.tflite.ModelLimits;
import dev.promptedge.runtime.tflite.ModelVerifier;
import dev.promptedge.runtime.tflite.SignatureRunner;
import dev.promptedge.runtime.tflite.TensorSpec;
import dev.promptedge.runtime.tflite.TfliteNative;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A bundle's head: its own small interpreter that maps backbone features to task outputs, checked
 * against the backbone's feature shape and the bundle's labels. Thread-safe (calls are serialized);
 * close it to free the interpreter.
 */
public final class HeadModel implements AutoCloseable {

  /** Signature key of every head. */
  public static final String SIGNATURE = "head";

  /** Head input: backbone features [B, Hp, Wp, D]. */
  public static final String FEATURES = "features";

  /** Head output, shaped as the task kind says. */
  public static final String OUTPUTS = "outputs";

  private final SignatureRunner runner;
  private final int outputSize;
  private final ByteBuffer model;
  private final String who;

  private HeadModel(SignatureRunner runner, int outputSize, ByteBuffer model, String who) {
    this.runner = runner;
    this.outputSize = outputSize;
    this.model = model;
    this.who = who;
  }

  /**
   * Opens the head of a checked bundle: {@link ModelVerifier} checks the flatbuffer before the
   * interpreter sees it, and an interpreter that still refuses it is a refusal too.
   *
   * @throws BundleException when the head is not a well-formed TFLite head ({@code bad_head},
   *     {@code head_unsupported}, {@code head_too_large}), the interpreter refuses it ({@code
   *     head_failed}), or its input is not the backbone's features shape or its output does not fit
   *     the task and labels ({@code head_shape})
   */
  public static HeadModel open(PromptBundle bundle, CardFile card, InterpreterConfig config) {
    String who = "bundle '" + bundle.getName() + "' v" + bundle.getVersion();
    byte[] bytes = bundle.getHead().toByteArray();
    ByteBuffer model = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    model.put(bytes).rewind();
    try {
      ModelVerifier.verify(model, ModelLimits.head());
    } catch (ModelCheckException e) {
      throw refusal(who, e);
    }
    TfliteNative.load(config.jniLibrary());
    SignatureRunner runner;
    try {
      runner = SignatureRunner.open(model, SIGNATURE, config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw failed(who, "the interpreter refused it", e);
    }
    try {
      return checked(bundle, card, runner, model, who);
    } catch (IllegalArgumentException | IllegalStateException e) {
      runner.close();
      throw failed(who, "the interpreter refused it", e);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** The refusal of a head the verifier turned down, with the code its reason maps to. */
  static BundleException refusal(String who, ModelCheckException e) {
    String code =
        switch (e.reason()) {
          case UNSUPPORTED -> "head_unsupported";
          case TOO_LARGE -> "head_too_large";
          default -> "bad_head";
        };
    return new BundleException(
        code,
        who
            + " has a head that was refused before it was loaded: "
            + e.getMessage()
            + "; the head is damaged or was not written by promptedge train: pack a head that"
            + " promptedge train wrote");
  }

  private static BundleException failed(String who, String what, RuntimeException e) {
    return new BundleException(
        "head_failed",
        who
            + "'s head passed the checks but "
            + what
            + ": "
            + e.getMessage()
            + "; re-pack the bundle with promptedge bundle pack for this runtime");
  }

  private static HeadModel checked(
      PromptBundle bundle, CardFile card, SignatureRunner runner, ByteBuffer model, String who) {
    int[] features = {card.gridHeight(), card.gridWidth(), card.card().getEmbedDim()};
    if (!runner.inputNames().equals(List.of(FEATURES)) || !runner.outputNames().contains(OUTPUTS)) {
      throw new BundleException(
          "head_shape",
          who
              + ": the head's signature must take 'features' and give 'outputs', but takes "
              + runner.inputNames()
              + " and gives "
              + runner.outputNames());
    }
    TensorSpec input = runner.input(FEATURES);
    if (!Arrays.equals(input.sampleShape(), features)) {
      throw new BundleException(
          "head_shape",
          who
              + ": the head takes features "
              + Arrays.toString(input.shape())
              + " but the backbone gives [B, "
              + features[0]
              + ", "
              + features[1]
              + ", "
              + features[2]
              + "]: the head was made for another backbone");
    }
    int[] expected = expectedOutput(bundle, features);
    TensorSpec output = runner.output(OUTPUTS);
    if (!Arrays.equals(output.sampleShape(), expected)) {
      throw new BundleException(
          "head_shape",
          who
              + ": the head gives "
              + Arrays.toString(output.shape())
              + " but a "
              + bundle.getTask()
              + " head with "
              + bundle.getLabelsCount()
              + " labels must give [B, "
              + Arrays.toString(expected).replaceAll("[\\[\\]]", "")
              + "]");
    }
    return new HeadModel(runner, Arrays.stream(expected).reduce(1, (a, b) -> a * b), model, who);
  }

  private static int[] expectedOutput(PromptBundle bundle, int[] features) {
    int classes = bundle.getLabelsCount();
    return switch (bundle.getTask()) {
      case DETECTION -> new int[] {features[0], features[1], classes + 5};
      case SEGMENTATION -> new int[] {features[0], features[1], classes};
      case CLASSIFICATION -> new int[] {classes};
      default ->
          throw new BundleException("unknown_task_kind", "unknown task kind " + bundle.getTask());
    };
  }

  /**
   * Runs the head on {@code batch} samples of features; returns the outputs back to back.
   *
   * @throws BundleException with code {@code head_failed} when the interpreter fails on the head
   */
  public synchronized float[] run(float[] features, int batch) {
    try {
      return runner.run(Map.of(FEATURES, features), batch).get(OUTPUTS);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw failed(who, "running it failed", e);
    }
  }

  /** Floats of one sample's output. */
  public int outputSize() {
    return outputSize;
  }

  /** Bytes of native memory the head's model holds (the flatbuffer copy). */
  public long modelBytes() {
    return model.capacity();
  }

  @Override
  public synchronized void close() {
    runner.close();
  }
}
