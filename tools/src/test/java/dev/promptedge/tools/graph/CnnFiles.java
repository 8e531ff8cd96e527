package dev.promptedge.tools.graph;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.Precision;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Writes the tests' micro CNNs ({@link CnnBuilder}) and their cards, as the importer would. */
public final class CnnFiles {

  private CnnFiles() {}

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
            .setNormalization(BackboneFiles.normalization(VitSpec.micro(false)))
            .setSignature(VitBuilder.SIGNATURE)
            .setFloatModel(BackboneFiles.modelFile(modelName, model, Precision.FLOAT32))
            .setProvenance(provenance)
            .addPromptInputs(BackboneFiles.tokens(1, promptTokens, CnnBuilder.DIM))
            .addFeatureOutputs(
                BackboneFiles.features(
                    CnnBuilder.INPUT / CnnBuilder.GRID,
                    CnnBuilder.DIM,
                    CnnBuilder.GRID,
                    CnnBuilder.GRID))
            .build();
    return CardFile.write(dir.resolve(name + CardFile.SUFFIX), card);
  }

  /**
   * Builds the promptable micro CNN ({@link CnnBuilder#buildPromptable}) with weights seeded by
   * {@code seed} and writes {@code NAME.tflite} and its version 2 card into {@code dir}: a PIXEL
   * input {@code pixel_prompt}, a CHANNEL_SCALE_SHIFT input {@code scale_shift_0} after {@code
   * dw1/hard_swish}, and the feature outputs {@code features_s8} (stride 8, 16 channels, 4 × 4) and
   * {@code features_s16} (stride 16, 2 × 2).
   */
  public static CardFile writePromptableCnn(Path dir, String name, long seed, Provenance provenance)
      throws IOException {
    byte[] model = CnnBuilder.buildPromptable(seed);
    String modelName = name + ".tflite";
    AtomicFiles.write(dir.resolve(modelName), model);
    int side = CnnBuilder.INPUT;
    BackboneCard card =
        BackboneCard.newBuilder()
            .setFormatVersion(CardFile.FORMAT_VERSION)
            .setName(name)
            .setArchitecture("cnn")
            .setInputHeight(side)
            .setInputWidth(side)
            .setNormalization(BackboneFiles.normalization(VitSpec.micro(false)))
            .setSignature(VitBuilder.SIGNATURE)
            .setFloatModel(BackboneFiles.modelFile(modelName, model, Precision.FLOAT32))
            .setProvenance(provenance)
            .addPromptInputs(
                PromptInput.newBuilder()
                    .setName(CnnBuilder.PIXEL_PROMPT)
                    .setKind(PromptKind.PIXEL)
                    .addShape(side)
                    .addShape(side)
                    .addShape(3)
                    .setPlacement(CnnBuilder.PIXELS))
            .addPromptInputs(
                PromptInput.newBuilder()
                    .setName(CnnBuilder.SCALE_SHIFT)
                    .setKind(PromptKind.CHANNEL_SCALE_SHIFT)
                    .addShape(2)
                    .addShape(CnnBuilder.SCALE_SHIFT_CHANNELS)
                    .setPlacement(CnnBuilder.SCALE_SHIFT_AFTER))
            .addFeatureOutputs(
                FeatureOutput.newBuilder()
                    .setName(CnnBuilder.FEATURES_S8)
                    .setStride(side / CnnBuilder.GRID)
                    .setChannels(CnnBuilder.DIM)
                    .setHeight(CnnBuilder.GRID)
                    .setWidth(CnnBuilder.GRID))
            .addFeatureOutputs(
                FeatureOutput.newBuilder()
                    .setName(CnnBuilder.FEATURES_S16)
                    .setStride(2 * side / CnnBuilder.GRID)
                    .setChannels(CnnBuilder.DIM)
                    .setHeight(CnnBuilder.GRID / 2)
                    .setWidth(CnnBuilder.GRID / 2))
            .build();
    return CardFile.write(dir.resolve(name + CardFile.SUFFIX), card);
  }

  /** The TOKENS prompt input {@code prompt} [L, P, D] of a ViT-style signature. */
}
