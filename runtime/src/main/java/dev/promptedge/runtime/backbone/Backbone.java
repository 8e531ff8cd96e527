package dev.promptedge.runtime.backbone;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.runtime.tflite.ModelCheckException;
import dev.promptedge.runtime.tflite.ModelLimits;
import dev.promptedge.runtime.tflite.ModelVerifier;
import dev.promptedge.runtime.tflite.SignatureRunner;
import dev.promptedge.runtime.tflite.TensorSpec;
import dev.promptedge.runtime.tflite.TfliteNative;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.DataType;

/**
 * The frozen backbone: one memory-mapped {@code .tflite} file and one interpreter, checked against
 * its card, that maps a batch of pixels and prompts to features. Thread-safe (calls are
 * serialized); close it to free the interpreter.
 *
 * <pre>{@code
 * try (Backbone backbone = Backbone.open(CardFile.read(card), false, InterpreterConfig.defaults())) {
 *   float[] features = backbone.encode(pixels, prompts, batch);
 * }
 * }</pre>
 */
public final class Backbone implements AutoCloseable {

  /** Signature input carrying normalized pixels [B, H, W, 3]. */
  public static final String PIXELS = "pixels";

  /** Signature input carrying prompt tokens [B, L, P, D]. */
  public static final String PROMPT = "prompt";

  /** Signature output carrying features [B, Hp, Wp, D]. */
  public static final String FEATURES = "features";

  /**
   * Cap on the bytes of a backbone's non-constant tensors at batch 1: more than an edge board gives
   * one interpreter.
   */
  static final long ARENA_BYTES = 1L << 30;

  private final CardFile card;
  private final ModelFile modelFile;
  private final SignatureRunner runner;
  private final boolean dynamicBatch;

  private Backbone(CardFile card, ModelFile modelFile, SignatureRunner runner) {
    this.card = card;
    this.modelFile = modelFile;
    this.runner = runner;
    this.dynamicBatch =
        runner.input(PIXELS).signature().length > 0 && runner.input(PIXELS).signature()[0] == -1;
  }

  /**
   * Opens the float or quantized model named by the card, after checking the file's SHA-256 and the
   * model's signature against the card.
   *
   * @throws BackboneException when the file does not match its card
   */
  public static Backbone open(CardFile card, boolean quantized, InterpreterConfig config) {
    ModelFile modelFile = card.model(quantized);
    Path path = card.modelPath(quantized);
    MappedByteBuffer model = map(path, card);
    String actual = Sha256.hex(model);
    if (!actual.equals(modelFile.getSha256())) {
      throw new BackboneException(
          "backbone file "
              + path
              + " has SHA-256 "
              + actual
              + " but its card "
              + card.path()
              + " records "
              + modelFile.getSha256()
              + ": the file was changed or belongs to another card; rebuild or re-fetch it");
    }
    String key = card.card().getSignature();
    try {
      ModelVerifier.verify(
          model,
          ModelLimits.backbone(key, List.of(PIXELS, PROMPT), List.of(FEATURES), ARENA_BYTES));
    } catch (ModelCheckException e) {
      throw new BackboneException(
          "backbone "
              + path
              + " was refused before it was loaded: "
              + e.getMessage()
              + "; rebuild it with promptedge backbone build or re-fetch it with its card");
    }
    TfliteNative.load(config.jniLibrary());
    SignatureRunner runner;
    try {
      runner = SignatureRunner.open(model, key, config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new BackboneException(
          "backbone " + path + " does not match its card: " + e.getMessage());
    }
    try {
      checkContract(card, runner, path);
      return new Backbone(card, modelFile, runner);
    } catch (IllegalArgumentException | IllegalStateException e) {
      runner.close();
      throw new BackboneException(
          "backbone " + path + " was refused by the interpreter: " + e.getMessage());
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  private static MappedByteBuffer map(Path path, CardFile card) {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    } catch (NoSuchFileException e) {
      throw new BackboneException(
          "backbone file "
              + path
              + " named by card "
              + card.path()
              + " does not exist: keep the model beside its card or rebuild both");
    } catch (IOException e) {
      throw new BackboneException("cannot read backbone file " + path + ": " + e);
    }
  }

  private static void checkContract(CardFile cardFile, SignatureRunner runner, Path path) {
    BackboneCard card = cardFile.card();
    var expectedInputs = Set.of(PIXELS, PROMPT);
    if (!expectedInputs.equals(Set.copyOf(runner.inputNames()))
        || !runner.outputNames().contains(FEATURES)) {
      throw new BackboneException(
          "backbone "
              + path
              + ": signature '"
              + card.getSignature()
              + "' must take inputs [pixels, prompt] and give output features, but takes "
              + runner.inputNames()
              + " and gives "
              + runner.outputNames());
    }
    expect(path, runner.input(PIXELS), card.getInputHeight(), card.getInputWidth(), 3);
    expect(
        path,
        runner.input(PROMPT),
        card.getPromptLayers(),
        card.getPromptTokens(),
        card.getEmbedDim());
    expect(
        path,
        runner.output(FEATURES),
        cardFile.gridHeight(),
        cardFile.gridWidth(),
        card.getEmbedDim());
  }

  private static void expect(Path path, TensorSpec spec, int... sampleShape) {
    if (spec.type() != DataType.FLOAT32 || !Arrays.equals(spec.sampleShape(), sampleShape)) {
      int[] declared = spec.signature().length > 0 ? spec.signature() : spec.shape();
      String batch = declared.length > 0 && declared[0] == -1 ? "B" : String.valueOf(declared[0]);
      throw new BackboneException(
          "backbone "
              + path
              + ": tensor '"
              + spec.name()
              + "' is "
              + spec.type()
              + " "
              + shape(batch, spec.sampleShape())
              + " but the card says FLOAT32 "
              + shape("B", sampleShape)
              + ": the model and its card were not built together; rebuild both");
    }
  }

  /** {@code [B, 1, 4, 32]}: a batch label followed by a sample shape. */
  private static String shape(String batch, int[] sampleShape) {
    StringBuilder text = new StringBuilder("[").append(batch);
    for (int d : sampleShape) {
      text.append(", ").append(d);
    }
    return text.append(']').toString();
  }

  /**
   * Runs {@code encode} on {@code batch} samples: {@code pixels} holds [B, H, W, 3] and {@code
   * prompts} [B, L, P, D], back to back; returns features [B, Hp, Wp, D]. A model whose batch is
   * fixed at 1 is run once per sample.
   */
  public synchronized float[] encode(float[] pixels, float[] prompts, int batch) {
    if (dynamicBatch || batch == 1) {
      return runner.run(Map.of(PIXELS, pixels, PROMPT, prompts), batch).get(FEATURES);
    }
    int pixelsPerSample = pixels.length / batch;
    int promptPerSample = prompts.length / batch;
    int featuresPerSample = featureSize();
    float[] features = new float[featuresPerSample * batch];
    for (int b = 0; b < batch; b++) {
      float[] one =
          runner
              .run(
                  Map.of(
                      PIXELS,
                      Arrays.copyOfRange(pixels, b * pixelsPerSample, (b + 1) * pixelsPerSample),
                      PROMPT,
                      Arrays.copyOfRange(prompts, b * promptPerSample, (b + 1) * promptPerSample)),
                  1)
              .get(FEATURES);
      System.arraycopy(one, 0, features, b * featuresPerSample, featuresPerSample);
    }
    return features;
  }

  /** Floats of one sample's features: Hp * Wp * D. */
  public int featureSize() {
    return card.gridHeight() * card.gridWidth() * card.card().getEmbedDim();
  }

  /** Floats of one sample's pixels: H * W * 3. */
  public int pixelSize() {
    return card.card().getInputHeight() * card.card().getInputWidth() * 3;
  }

  /** Floats of one sample's prompt: L * P * D. */
  public int promptSize() {
    BackboneCard c = card.card();
    return c.getPromptLayers() * c.getPromptTokens() * c.getEmbedDim();
  }

  /** The card this backbone was checked against. */
  public CardFile card() {
    return card;
  }

  /** The model file that is running (float or quantized). */
  public ModelFile modelFile() {
    return modelFile;
  }

  /** Whether the model accepts any batch size in one call. */
  public boolean dynamicBatch() {
    return dynamicBatch;
  }

  @Override
  public synchronized void close() {
    runner.close();
  }
}
