package dev.promptedge.runtime.backbone;

import com.google.protobuf.TextFormat;
import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A backbone card read from its {@code .textproto} file, with the model paths it names resolved
 * against the card's directory. Immutable.
 *
 * @param path where the card was read from
 * @param card the checked card
 */
public record CardFile(Path path, BackboneCard card) {

  /**
   * Newest format version of {@link BackboneCard} this runtime reads (it reads 1 too) and writes.
   */
  public static final int FORMAT_VERSION = 2;

  /** File name suffix of cards. */
  public static final String SUFFIX = ".card.textproto";

  /**
   * Reads and checks a card.
   *
   * @throws BackboneException when the file is missing, does not parse, has an unknown format
   *     version or describes an impossible contract
   */
  public static CardFile read(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new BackboneException(
          "backbone card "
              + path
              + " does not exist: pass the NAME.card.textproto written by promptedge backbone"
              + " build");
    } catch (IOException e) {
      throw new BackboneException("cannot read backbone card " + path + ": " + e.getMessage());
    }
    BackboneCard.Builder builder = BackboneCard.newBuilder();
    try {
      TextFormat.merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new BackboneException(
          "backbone card " + path + " is not a BackboneCard text proto: " + e.getMessage());
    }
    return new CardFile(path, check(builder.build(), path.toString()));
  }

  /** Writes {@code card} as text proto to {@code path}, replacing it atomically. */
  public static CardFile write(Path path, BackboneCard card) throws IOException {
    check(card, path.toString());
    byte[] text = TextFormat.printer().printToString(card).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(path, text);
    return new CardFile(path, card);
  }

  /** Checks the contract a card describes, naming the first thing that is wrong. */
  static BackboneCard check(BackboneCard card, String where) {
    int version = card.getFormatVersion();
    if (version < 1 || version > FORMAT_VERSION) {
      throw new BackboneException(
          "backbone card "
              + where
              + " has format_version "
              + version
              + "; this runtime reads versions 1 to "
              + FORMAT_VERSION
              + (version > FORMAT_VERSION ? ": update PromptEdge" : ": the card is not finished"));
    }
    CardContract.positive(where, "input_height", card.getInputHeight());
    CardContract.positive(where, "input_width", card.getInputWidth());
    if (version == 1) {
      CardContract.checkV1(card, where);
    } else {
      CardContract.checkV2(card, where);
    }
    if (card.getNormalization().getMeanCount() != 3 || card.getNormalization().getStdCount() != 3) {
      throw new BackboneException(
          "backbone card " + where + ": normalization needs three means and three stds (R, G, B)");
    }
    for (float std : card.getNormalization().getStdList()) {
      if (!(std > 0)) {
        throw new BackboneException(
            "backbone card " + where + ": normalization std must be positive, got " + std);
      }
    }
    if (card.getSignature().isBlank()) {
      throw new BackboneException("backbone card " + where + ": signature is empty");
    }
    if (!card.hasFloatModel() || card.getFloatModel().getSha256().length() != 64) {
      throw new BackboneException(
          "backbone card " + where + ": float_model needs a path and a 64-hex-digit sha256");
    }
    return card;
  }

  /**
   * The prompt inputs of the backbone, in graph order (contract v2); a version 1 card has one
   * TOKENS input {@code prompt} of shape [prompt_layers, prompt_tokens, embed_dim].
   */
  public List<PromptSlot> promptInputs() {
    return CardContract.prompts(card);
  }

  /**
   * The feature outputs of the backbone, finest first (contract v2); a version 1 card has one,
   * {@code features}, of stride patch_size on the patch grid.
   */
  public List<FeatureMap> featureOutputs() {
    return CardContract.features(card);
  }

  /** The prompt input named {@code name}, if the backbone has one. */
  public Optional<PromptSlot> promptInput(String name) {
    return promptInputs().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The feature output named {@code name}, if the backbone has one. */
  public Optional<FeatureMap> featureOutput(String name) {
    return featureOutputs().stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The model file of the requested precision. */
  public ModelFile model(boolean quantized) {
    if (quantized && !card.hasQuantizedModel()) {
      throw new BackboneException(
          "backbone card "
              + path
              + " has no quantized_model: quantize it first (promptedge backbone quantize) or run"
              + " the float model");
    }
    return quantized ? card.getQuantizedModel() : card.getFloatModel();
  }

  /** Whether the card records an ONNX form of its float model. */
  public boolean hasOnnxModel() {
    return card.hasOnnxModel();
  }

  /** Absolute path of the card's ONNX model file; the card must record one. */
  public Path onnxPath() {
    return onnxPath(false);
  }

  /**
   * The ONNX form of the float or quantized model.
   *
   * @throws BackboneException when the card records none
   */
  public ModelFile onnxModel(boolean quantized) {
    boolean present = quantized ? card.hasOnnxQuantizedModel() : card.hasOnnxModel();
    if (!present) {
      throw new BackboneException(
          "backbone card "
              + path
              + (quantized
                  ? " records no onnx_quantized_model: export it (promptedge backbone export"
                      + " --format onnx, after promptedge backbone quantize) or run the quantized"
                      + " model on engine tflite"
                  : " records no onnx_model: export it (promptedge backbone export --format onnx)"
                      + " or run on engine tflite"));
    }
    return quantized ? card.getOnnxQuantizedModel() : card.getOnnxModel();
  }

  /** Absolute path of the ONNX form of the float or quantized model; the card must record it. */
  public Path onnxPath(boolean quantized) {
    return path.toAbsolutePath().getParent().resolve(onnxModel(quantized).getPath());
  }

  /** Absolute path of the model file of the requested precision. */
  public Path modelPath(boolean quantized) {
    Path dir = path.toAbsolutePath().getParent();
    return dir.resolve(model(quantized).getPath());
  }
}
