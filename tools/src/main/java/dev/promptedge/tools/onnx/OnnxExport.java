package dev.promptedge.tools.onnx;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.backbone.BackboneException;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Converts a card's TFLite models to ONNX beside the card: the float model to {@code NAME.onnx}
 * ({@code onnx_model}) and, when the card has one, the quantized model in QDQ form to {@code
 * NAME-int8.onnx} ({@code onnx_quantized_model}), each recorded with its SHA-256 and size.
 */
public final class OnnxExport {

  private OnnxExport() {}

  /**
   * Exports the float model of {@code card}, and its quantized model if it has one, and rewrites
   * the card; returns the new card.
   *
   * @throws BackboneException when a model file does not match its card
   * @throws IllegalArgumentException when a model has an operator or tensor with no ONNX form here
   */
  public static CardFile export(CardFile card) throws IOException {
    String signature = card.card().getSignature();
    byte[] onnx = TfliteToOnnx.convert(checked(card, false), signature).toByteArray();
    BackboneCard.Builder updated = card.card().toBuilder();
    updated.setOnnxModel(
        write(card, card.card().getName() + ".onnx", onnx, card.card().getFloatModel()));
    updated.clearOnnxQuantizedModel();
    if (card.card().hasQuantizedModel()) {
      byte[] quantized =
          TfliteToOnnx.convertQuantized(checked(card, true), signature).toByteArray();
      String name = stem(card.card().getQuantizedModel().getPath()) + ".onnx";
      updated.setOnnxQuantizedModel(write(card, name, quantized, card.card().getQuantizedModel()));
    }
    return CardFile.write(card.path(), updated.build());
  }

  private static ModelFile write(CardFile card, String name, byte[] onnx, ModelFile source)
      throws IOException {
    Path target = card.path().toAbsolutePath().getParent().resolve(name);
    AtomicFiles.write(target, onnx);
    return ModelFile.newBuilder()
        .setPath(name)
        .setSha256(Sha256.hex(onnx))
        .setSizeBytes(onnx.length)
        .setPrecision(source.getPrecision())
        .build();
  }

  /** The bytes of the card's float or quantized TFLite model, checked against its SHA-256. */
  private static byte[] checked(CardFile card, boolean quantized) throws IOException {
    Path path = card.modelPath(quantized);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new BackboneException(
          "backbone file "
              + path
              + " named by card "
              + card.path()
              + " does not exist: keep the model beside its card or rebuild both");
    }
    String expected = card.model(quantized).getSha256();
    if (!Sha256.hex(bytes).equals(expected)) {
      throw new BackboneException(
          "backbone file "
              + path
              + " has SHA-256 "
              + Sha256.hex(bytes)
              + " but card "
              + card.path()
              + " records "
              + expected
              + ": rebuild the model or use the card that belongs to it");
    }
    return bytes;
  }

  /** {@code demo-vit-int8.tflite} → {@code demo-vit-int8}; a path's directories stay. */
  private static String stem(String path) {
    return path.endsWith(".tflite") ? path.substring(0, path.length() - ".tflite".length()) : path;
  }
}
