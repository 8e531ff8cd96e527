package dev.promptedge.tools.graph;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Normalization;
import dev.promptedge.format.Precision;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a built backbone to disk: the float32 {@code .tflite} file and its card beside it. Writes
 * the ViT of a {@link VitSpec} and the micro CNN of {@link CnnBuilder}.
 */
public final class BackboneFiles {

  private BackboneFiles() {}

  /**
   * Builds the model of {@code spec} with {@code weights} and writes {@code NAME.tflite} and {@code
   * NAME.card.textproto} into {@code dir}, replacing files of the same name atomically.
   */
  public static CardFile write(Path dir, VitSpec spec, VitWeights weights, Provenance provenance)
      throws IOException {
    byte[] model = VitBuilder.build(spec, weights);
    String modelName = spec.name() + ".tflite";
    AtomicFiles.write(dir.resolve(modelName), model);
    BackboneCard card =
        BackboneCard.newBuilder()
            .setFormatVersion(CardFile.FORMAT_VERSION)
            .setName(spec.name())
            .setArchitecture("vit")
            .setInputHeight(spec.inputHeight())
            .setInputWidth(spec.inputWidth())
            .setPatchSize(spec.patchSize())
            .setEmbedDim(spec.embedDim())
            .setPromptTokens(spec.promptTokens())
            .setPromptLayers(spec.promptLayers())
            .setDepth(spec.depth())
            .setHeads(spec.heads())
            .setNormalization(normalization(spec))
            .setSignature(VitBuilder.SIGNATURE)
            .setFloatModel(modelFile(modelName, model, Precision.FLOAT32))
            .setProvenance(provenance)
            .build();
    return CardFile.write(dir.resolve(spec.name() + CardFile.SUFFIX), card);
  }

  /**
   * Builds the micro CNN ({@link CnnBuilder}) with {@code promptTokens} prompt tokens and weights
   * seeded by {@code seed}, and writes {@code NAME.tflite} and its card (architecture {@code cnn},
   * one prompt layer, patch size = input / grid, the micro ViT's normalization) into {@code dir}.
   */
  public static CardFile writeCnn(
      Path dir, String name, int promptTokens, long seed, Provenance provenance)
      throws IOException {
    byte[] model = CnnBuilder.build(promptTokens, seed);
    String modelName = name + ".tflite";
    AtomicFiles.write(dir.resolve(modelName), model);
    BackboneCard card =
        BackboneCard.newBuilder()
            .setFormatVersion(CardFile.FORMAT_VERSION)
            .setName(name)
            .setArchitecture("cnn")
            .setInputHeight(CnnBuilder.INPUT)
            .setInputWidth(CnnBuilder.INPUT)
            .setPatchSize(CnnBuilder.INPUT / CnnBuilder.GRID)
            .setEmbedDim(CnnBuilder.DIM)
            .setPromptTokens(promptTokens)
            .setPromptLayers(1)
            .setNormalization(normalization(VitSpec.micro(false)))
            .setSignature(VitBuilder.SIGNATURE)
            .setFloatModel(modelFile(modelName, model, Precision.FLOAT32))
            .setProvenance(provenance)
            .build();
    return CardFile.write(dir.resolve(name + CardFile.SUFFIX), card);
  }

  private static Normalization normalization(VitSpec spec) {
    Normalization.Builder n = Normalization.newBuilder();
    for (float m : spec.normalizationMean()) {
      n.addMean(m);
    }
    for (float s : spec.normalizationStd()) {
      n.addStd(s);
    }
    return n.build();
  }

  /** The card entry of a model file: relative path, SHA-256, size and precision. */
  public static ModelFile modelFile(String path, byte[] bytes, Precision precision) {
    return ModelFile.newBuilder()
        .setPath(path)
        .setSha256(Sha256.hex(bytes))
        .setSizeBytes(bytes.length)
        .setPrecision(precision)
        .build();
  }
}
