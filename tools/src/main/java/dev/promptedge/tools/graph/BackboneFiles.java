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
 * description). Writes the ViT of a {@link VitSpec}; the tests' micro CNNs go through {@code
 * CnnFiles}.
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
