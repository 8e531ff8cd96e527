package dev.promptedge.runtime.bundle;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.engine.Engine;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.Session;
import dev.promptedge.runtime.engine.TensorSpec;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.runtime.tflite.ModelCheckException;
import dev.promptedge.runtime.tflite.ModelLimits;
import dev.promptedge.runtime.tflite.ModelVerifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bundle's head: its own small interpreter that maps the backbone feature outputs its bundle
 * names to task outputs, checked against those outputs' shapes and the bundle's labels. Thread-safe
 * (calls are serialized); close it to free the interpreter.
 */
public final class HeadModel implements AutoCloseable {

  /** Signature key of every head. */
  public static final String SIGNATURE = "head";

  /** Head output, shaped as the task kind says. */
  public static final String OUTPUTS = "outputs";

  private final Session runner;
  private final List<String> inputNames;
  private final int outputSize;
  private final ByteBuffer model;
  private final String who;

  private HeadModel(
      Session runner, List<String> inputNames, int outputSize, ByteBuffer model, String who) {
    this.runner = runner;
    this.inputNames = List.copyOf(inputNames);
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
   *     head_failed}), its inputs are not the named feature outputs' shapes or its output does not
   *     fit the task and labels ({@code head_shape}, {@code head_features})
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
    Engine engine = Engine.of(config);
    Session runner;
    try {
      runner = engine.open(engineForm(engine, bytes, model), SIGNATURE, config.singleThreaded());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw failed(who, "the interpreter refused it", e);
    }
    try {
      List<FeatureMap> features = features(bundle, card, who);
      checkInputs(runner, features, who);
      int[] expected = expectedOutput(bundle, features.get(0));
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
                + " labels on "
                + features.get(0)
                + " must give [B, "
                + Arrays.toString(expected).replaceAll("[\\[\\]]", "")
                + "]");
      }
      return new HeadModel(
          runner,
          features.stream().map(FeatureMap::name).toList(),
          Arrays.stream(expected).reduce(1, (a, b) -> a * b),
          model,
          who);
    } catch (IllegalArgumentException | IllegalStateException e) {
      runner.close();
      throw failed(who, "the interpreter refused it", e);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** The verified flatbuffer for TFLite; its ONNX translation for ONNX Runtime. */
  private static ByteBuffer engineForm(Engine engine, byte[] bytes, ByteBuffer model) {
    if (engine.kind() == EngineKind.TFLITE) {
      return model;
    }
    return ByteBuffer.wrap(TfliteToOnnx.convert(bytes, SIGNATURE).toByteArray());
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

  /** The card's feature outputs the bundle's head reads, in the head's input order. */
  private static List<FeatureMap> features(PromptBundle bundle, CardFile card, String who) {
    List<FeatureMap> features = new ArrayList<>();
    for (String name : BundleInputs.headFeatures(bundle)) {
      features.add(
          card.featureOutput(name)
              .orElseThrow(
                  () ->
                      new BundleException(
                          "head_features",
                          who + "'s head reads '" + name + "', which the backbone does not give")));
    }
    if (features.isEmpty()) {
      throw new BundleException("head_features", who + " names no head_features: re-pack it");
    }
    return features;
  }

  /** The head must take exactly the named feature outputs, each shaped like the backbone's. */
  private static void checkInputs(Session runner, List<FeatureMap> features, String who) {
    List<String> names = features.stream().map(FeatureMap::name).toList();
    if (!Set.copyOf(runner.inputNames()).equals(Set.copyOf(names))
        || runner.inputNames().size() != names.size()
        || !runner.outputNames().contains(OUTPUTS)) {
      throw new BundleException(
          "head_shape",
          who
              + ": the head's signature must take "
              + names
              + " and give 'outputs', but takes "
              + runner.inputNames()
              + " and gives "
              + runner.outputNames());
    }
    for (FeatureMap f : features) {
      TensorSpec input = runner.input(f.name());
      if (!Arrays.equals(input.sampleShape(), f.sampleShape())) {
        throw new BundleException(
            "head_shape",
            who
                + ": the head takes "
                + f.name()
                + " "
                + Arrays.toString(input.shape())
                + " but the backbone gives [B, "
                + f.height()
                + ", "
                + f.width()
                + ", "
                + f.channels()
                + "]: the head was made for another backbone");
      }
    }
  }

  /** Detection and segmentation give one output per cell of the first feature output read. */
  private static int[] expectedOutput(PromptBundle bundle, FeatureMap first) {
    int classes = bundle.getLabelsCount();
    return switch (bundle.getTask()) {
      case DETECTION -> new int[] {first.height(), first.width(), classes + 5};
      case SEGMENTATION -> new int[] {first.height(), first.width(), classes};
      case CLASSIFICATION -> new int[] {classes};
      default ->
          throw new BundleException("unknown_task_kind", "unknown task kind " + bundle.getTask());
    };
  }

  /**
   * Runs the head on {@code batch} samples; {@code features} maps each feature output the head
   * reads to its [B, height, width, channels] values. Returns the outputs back to back.
   *
   * @throws BundleException with code {@code head_failed} when the interpreter fails on the head
   */
  public synchronized float[] run(Map<String, float[]> features, int batch) {
    Map<String, float[]> inputs = new LinkedHashMap<>();
    for (String name : inputNames) {
      float[] values = features.get(name);
      if (values == null) {
        throw new IllegalArgumentException("the head reads feature output '" + name + "'");
      }
      inputs.put(name, values);
    }
    try {
      return runner.run(inputs, batch).get(OUTPUTS);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw failed(who, "running it failed", e);
    }
  }

  /** The feature outputs this head reads, in its input order; the first sets the output grid. */
  public List<String> inputNames() {
    return inputNames;
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
