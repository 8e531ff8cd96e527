package dev.promptedge.tools.onnx;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.ModelFile;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Converts a card's float TFLite model to ONNX, writes {@code NAME.onnx} beside the card and
 * records it as the card's {@code onnx_model} with its SHA-256.
 */
public final class OnnxExport {

  private OnnxExport() {}

  /** Exports the float model of {@code card} and rewrites the card; returns the new card. */
  public static CardFile export(CardFile card) throws IOException {
    byte[] tflite = Files.readAllBytes(card.modelPath(false));
    byte[] onnx = TfliteToOnnx.convert(tflite, card.card().getSignature()).toByteArray();
    String name = card.card().getName() + ".onnx";
    Path target = card.path().toAbsolutePath().getParent().resolve(name);
    AtomicFiles.write(target, onnx);
    ModelFile file =
        ModelFile.newBuilder()
            .setPath(name)
            .setSha256(Sha256.hex(onnx))
            .setSizeBytes(onnx.length)
            .setPrecision(card.card().getFloatModel().getPrecision())
            .build();
    BackboneCard updated = card.card().toBuilder().setOnnxModel(file).build();
    return CardFile.write(card.path(), updated);
  }
}
