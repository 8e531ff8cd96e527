package dev.promptedge.runtime.backbone;

import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.engine.Engine;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.Session;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.runtime.tflite.ModelCheckException;
import dev.promptedge.runtime.tflite.ModelLimits;
import dev.promptedge.runtime.tflite.ModelVerifier;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The frozen backbone: one memory-mapped {@code .tflite} file and one interpreter, checked against
 * its card, that maps a batch of pixels and named prompt tensors to named feature maps. Thread-safe
 * (calls are serialized); close it to free the interpreter.
 *
 * <pre>{@code
 * try (Backbone backbone = Backbone.open(CardFile.read(card), false, InterpreterConfig.defaults())) {
 *   Map<String, float[]> features = backbone.encode(pixels, Map.of("prompt", tokens), batch);
 * }
 * }</pre>
 */
public final class Backbone implements AutoCloseable {

  /** Signature input carrying normalized pixels [B, H, W, 3]. */
  public static final String PIXELS = "pixels";

  /**
   * Cap on the bytes of a backbone's non-constant tensors at batch 1: more than an edge board gives
   * one interpreter.
   */
  static final long ARENA_BYTES = 1L << 30;

  private final CardFile card;
  private final ModelFile modelFile;
  private final Session runner;
  private final boolean dynamicBatch;
  private final ModelFile runningFile;
  private final List<PromptSlot> promptSlots;
  private final List<FeatureMap> featureMaps;

  private Backbone(CardFile card, ModelFile modelFile, ModelFile runningFile, Session runner) {
    this.card = card;
    this.modelFile = modelFile;
    this.runningFile = runningFile;
    this.runner = runner;
    this.promptSlots = card.promptInputs();
    this.featureMaps = card.featureOutputs();
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
    // The flatbuffer is verified whichever engine runs; ONNX Runtime then runs its ONNX form.
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
      ModelVerifier.verify(model, ModelLimits.backbone(key, ARENA_BYTES));
    } catch (ModelCheckException e) {
      throw new BackboneException(
          "backbone "
              + path
              + " was refused before it was loaded: "
              + e.getMessage()
              + "; rebuild it with promptedge backbone build or re-fetch it with its card");
    }
    Engine engine = Engine.of(config);
    ModelFile runningFile = modelFile;
    if (engine.kind() == EngineKind.ONNXRUNTIME) {
      ModelFile onnxFile = card.onnxModel(quantized);
      Path onnxPath = card.onnxPath(quantized);
      MappedByteBuffer onnx = map(onnxPath, card);
      String onnxSha = Sha256.hex(onnx);
      if (!onnxSha.equals(onnxFile.getSha256())) {
        throw new BackboneException(
            "backbone file "
                + onnxPath
                + " has SHA-256 "
                + onnxSha
                + " but its card "
                + card.path()
                + " records "
                + onnxFile.getSha256()
                + ": re-export it with promptedge backbone export --format onnx");
      }
      // modelFile stays the verified flatbuffer the ONNX file was translated from; self-tests look
      // for the ONNX file's own expectation first (runningFile).
      model = onnx;
      path = onnxPath;
      runningFile = onnxFile;
    }
    Session runner;
    try {
      runner = engine.open(model, key, config);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new BackboneException(
          "backbone " + path + " does not match its card: " + e.getMessage());
    }
    try {
      SignatureCheck.check(card, runner, path);
      return new Backbone(card, modelFile, runningFile, runner);
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

  /**
   * Runs {@code encode} on {@code batch} samples: {@code pixels} holds [B, H, W, 3] and {@code
   * prompts} maps prompt input names to their [B, ...shape] tensors, back to back; an input missing
   * from the map gets its kind's identity for every sample. Returns every feature output by name,
   * [B, height, width, channels] each. A model whose batch is fixed at 1 is run once per sample.
   *
   * @throws IllegalArgumentException when a prompt names no prompt input or has the wrong length
   */
  public synchronized Map<String, float[]> encode(
      float[] pixels, Map<String, float[]> prompts, int batch) {
    Map<String, float[]> inputs = inputs(pixels, prompts, batch);
    if (dynamicBatch || batch == 1) {
      return outputs(runner.run(inputs, batch));
    }
    Map<String, float[]> features = new LinkedHashMap<>();
    for (FeatureMap f : featureMaps) {
      features.put(f.name(), new float[f.size() * batch]);
    }
    for (int b = 0; b < batch; b++) {
      Map<String, float[]> one = new LinkedHashMap<>();
      for (Map.Entry<String, float[]> e : inputs.entrySet()) {
        int each = e.getValue().length / batch;
        one.put(e.getKey(), Arrays.copyOfRange(e.getValue(), b * each, (b + 1) * each));
      }
      Map<String, float[]> out = runner.run(one, 1);
      for (FeatureMap f : featureMaps) {
        System.arraycopy(out.get(f.name()), 0, features.get(f.name()), b * f.size(), f.size());
      }
    }
    return features;
  }

  private Map<String, float[]> inputs(float[] pixels, Map<String, float[]> prompts, int batch) {
    if (pixels.length != pixelSize() * batch) {
      throw new IllegalArgumentException(
          "pixels hold " + pixels.length + " values, not " + batch + " x " + pixelSize());
    }
    Map<String, float[]> inputs = new LinkedHashMap<>();
    inputs.put(PIXELS, pixels);
    requirePromptInputs(prompts.keySet());
    for (PromptSlot p : promptSlots) {
      float[] given = prompts.get(p.name());
      if (given == null) {
        given = repeat(p.identity(), batch);
      } else if (given.length != p.size() * batch) {
        throw new IllegalArgumentException(
            "prompt '"
                + p.name()
                + "' holds "
                + given.length
                + ", not "
                + batch
                + " x "
                + p.size());
      }
      inputs.put(p.name(), given);
    }
    return inputs;
  }

  private Map<String, float[]> outputs(Map<String, float[]> all) {
    Map<String, float[]> features = new LinkedHashMap<>();
    for (FeatureMap f : featureMaps) {
      features.put(f.name(), all.get(f.name()));
    }
    return features;
  }

  /** {@code sample} repeated {@code batch} times, back to back. */
  static float[] repeat(float[] sample, int batch) {
    float[] all = new float[sample.length * batch];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(sample, 0, all, b * sample.length, sample.length);
    }
    return all;
  }

  /**
   * {@code given} completed to one tensor per prompt input of this backbone, in card order: the
   * kind's identity where {@code given} has none. Throws when a name is not a prompt input.
   */
  public Map<String, float[]> completePrompts(Map<String, float[]> given) {
    requirePromptInputs(given.keySet());
    Map<String, float[]> all = new LinkedHashMap<>();
    for (PromptSlot p : promptSlots) {
      all.put(p.name(), given.getOrDefault(p.name(), p.identity()));
    }
    return all;
  }

  private void requirePromptInputs(Set<String> names) {
    for (String name : names) {
      if (promptSlots.stream().noneMatch(p -> p.name().equals(name))) {
        throw new IllegalArgumentException(
            "backbone " + card.card().getName() + " has no prompt input '" + name + "'");
      }
    }
  }

  /** The prompt inputs this backbone takes, in card order. */
  public List<PromptSlot> promptInputs() {
    return promptSlots;
  }

  /** The feature outputs this backbone gives, in card order. */
  public List<FeatureMap> featureOutputs() {
    return featureMaps;
  }

  /** Floats of one sample's pixels: H * W * 3. */
  public int pixelSize() {
    return card.card().getInputHeight() * card.card().getInputWidth() * 3;
  }

  /** The card this backbone was checked against. */
  public CardFile card() {
    return card;
  }

  /**
   * The flatbuffer of the precision running (float or quantized): what names the backbone, and what
   * {@link #runningFile()} was translated from on ONNX Runtime.
   */
  public ModelFile modelFile() {
    return modelFile;
  }

  /**
   * The file the engine runs: {@link #modelFile()} on TFLite, its recorded ONNX form on ONNX
   * Runtime.
   */
  public ModelFile runningFile() {
    return runningFile;
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
