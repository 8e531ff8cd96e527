package dev.promptedge.tools.quantize;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.graph.BackboneFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a card's float model and writes a quantized one beside it: {@code NAME-int8.tflite} (full
 * integer) or {@code NAME-dynamic.tflite} (dynamic range), recorded as the card's {@code
 * quantized_model} with a provenance note. A card holds one quantized model: writing another
 * replaces the entry (the previous file stays on disk, no longer named by the card) and drops the
 * card's {@code onnx_quantized_model}.
 */
public final class QuantizedBackboneFiles {

  private QuantizedBackboneFiles() {}

  /**
   * The bytes of {@code card}'s float model, checked against the SHA-256 the card records.
   *
   * @throws QuantizationException when the file does not match its card
   */
  public static byte[] floatModel(CardFile card) throws IOException {
    Path path = card.modelPath(false);
    byte[] bytes = Files.readAllBytes(path);
    String sha = Sha256.hex(bytes);
    if (!sha.equals(card.card().getFloatModel().getSha256())) {
      throw new QuantizationException(
          "float model "
              + path
              + " has SHA-256 "
              + sha
              + " but card "
              + card.path()
              + " records "
              + card.card().getFloatModel().getSha256()
              + ": rebuild the backbone or use the card that belongs to this file");
    }
    return bytes;
  }

  /** File name of the quantized model of {@code card} at {@code precision}. */
  public static String fileName(CardFile card, Precision precision) {
    String suffix =
        switch (precision) {
          case INT8_FULL -> "-int8";
          case INT8_DYNAMIC -> "-dynamic";
          default -> throw new IllegalArgumentException("not a quantized precision: " + precision);
        };
    return card.card().getName() + suffix + ".tflite";
  }

  /**
   * Writes {@code model} beside {@code card}'s float model and rewrites the card (atomically) with
   * it as {@code quantized_model} and {@code note} appended to its provenance notes.
   */
  public static CardFile write(CardFile card, QuantizedModel model, String note)
      throws IOException {
    String name = fileName(card, model.precision());
    byte[] bytes = model.bytes();
    AtomicFiles.write(card.path().toAbsolutePath().getParent().resolve(name), bytes);
    BackboneCard.Builder updated = card.card().toBuilder();
    updated.setQuantizedModel(BackboneFiles.modelFile(name, bytes, model.precision()));
    // The ONNX form of the replaced model no longer matches; export writes the new one.
    updated.clearOnnxQuantizedModel();
    updated.getProvenanceBuilder().addNotes(note);
    return CardFile.write(card.path(), updated.build());
  }
}
