package dev.promptedge.benchmarks;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.runtime.backbone.CardFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A given backbone card copied into the workbench (card and model files), so that quantizing it
 * never touches the original, and the {@code VitSpec} a baked task model of the same size needs.
 */
final class CardCopy {

  private CardCopy() {}

  /** Copies {@code card} and the model files it names into {@code dir}; returns the copy. */
  static CardFile copy(CardFile card, Path dir) throws IOException {
    BackboneCard c = card.card();
    Files.copy(card.modelPath(false), dir.resolve(c.getFloatModel().getPath()));
    if (c.hasQuantizedModel()) {
      Files.copy(card.modelPath(true), dir.resolve(c.getQuantizedModel().getPath()));
    }
    Path copy = dir.resolve(card.path().getFileName());
    Files.copy(card.path(), copy);
    return CardFile.read(copy);
  }

  /**
   * The ViT spec of {@code card}: every field the card records, and the MLP ratio whose parameter
   * count best explains the float file's size (the card does not record it). Baked task models
   * built from it have the backbone's architecture and size, with seeded weights.
   */
  static dev.promptedge.tools.graph.VitSpec specOf(CardFile card) {
    BackboneCard c = card.card();
    int best = 1;
    long bestError = Long.MAX_VALUE;
    for (int ratio = 1; ratio <= 8; ratio++) {
      long error = Math.abs(4 * parameters(c, ratio) - c.getFloatModel().getSizeBytes());
      if (error < bestError) {
        best = ratio;
        bestError = error;
      }
    }
    float[] mean = new float[3];
    float[] std = new float[3];
    for (int i = 0; i < 3; i++) {
      mean[i] = c.getNormalization().getMean(i);
      std[i] = c.getNormalization().getStd(i);
    }
    return new dev.promptedge.tools.graph.VitSpec(
        c.getName(),
        c.getInputHeight(),
        c.getInputWidth(),
        c.getPatchSize(),
        c.getEmbedDim(),
        c.getDepth(),
        c.getHeads(),
        best,
        c.getPromptTokens(),
        c.getPromptLayers() > 1,
        1e-6f,
        mean,
        std);
  }

  private static long parameters(BackboneCard c, int ratio) {
    long d = c.getEmbedDim();
    long p = c.getPatchSize();
    long n = (c.getInputHeight() / p) * (c.getInputWidth() / p);
    long block = 4 * d * d + 4 * d + 2 * ratio * d * d + ratio * d + d + 4 * d;
    return d * p * p * 3 + d + n * d + c.getDepth() * block + 2 * d;
  }
}
