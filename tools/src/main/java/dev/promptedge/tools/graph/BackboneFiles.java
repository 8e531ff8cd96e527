package dev.promptedge.tools.graph;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Normalization;
import dev.promptedge.format.Precision;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a built backbone to disk: the float32 {@code .tflite} file and its version 2 card beside
 * it (one TOKENS input {@code prompt}, one feature output {@code features}; the v1 fields stay as a
 * description). Writes the ViT of a {@link VitSpec} and the micro CNN of {@link CnnBuilder}.
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
            .addPromptInputs(tokens(spec.promptLayers(), spec.promptTokens(), spec.embedDim()))
            .addFeatureOutputs(
                features(spec.patchSize(), spec.embedDim(), spec.gridHeight(), spec.gridWidth()))
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
            .addPromptInputs(tokens(1, promptTokens, CnnBuilder.DIM))
            .addFeatureOutputs(
                features(
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
            .setNormalization(normalization(VitSpec.micro(false)))
            .setSignature(VitBuilder.SIGNATURE)
            .setFloatModel(modelFile(modelName, model, Precision.FLOAT32))
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
  static PromptInput tokens(int layers, int tokens, int dim) {
    return PromptInput.newBuilder()
        .setName(VitBuilder.PROMPT)
        .setKind(PromptKind.TOKENS)
        .addShape(layers)
        .addShape(tokens)
        .addShape(dim)
        .build();
  }

  /** The feature output {@code features} on a grid of {@code stride}-pixel cells. */
  static FeatureOutput features(int stride, int channels, int height, int width) {
    return FeatureOutput.newBuilder()
        .setName(VitBuilder.FEATURES)
        .setStride(stride)
        .setChannels(channels)
        .setHeight(height)
        .setWidth(width)
        .build();
  }

  static Normalization normalization(VitSpec spec) {
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
