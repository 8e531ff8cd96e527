package dev.promptedge.tools.golden;

import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.CnnBuilder;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the golden files in {@code src/test/resources/golden} were made: the micro backbone of {@code
 * VitSpec.micro(false)} with {@code VitWeights.random(spec, 7)} and a detection bundle for it, and
 * the promptable micro CNN with a segmentation bundle carrying a PIXEL and a CHANNEL_SCALE_SHIFT
 * prompt. Everything is seeded and carries no time stamp, so regenerating with an unchanged builder
 * gives the same bytes.
 */
final class GoldenFiles {

  /** Version 1 card, frozen: written before contract v2, never regenerated. */
  static final String CARD = "micro-shallow" + CardFile.SUFFIX;

  /** Version 1 bundle, frozen: written before contract v2, never regenerated. */
  static final String BUNDLE = "golden-detect.bundle";

  /** Version 2 card of the same model, as {@link #backbone} writes it. */
  static final String CARD_V2 = "micro-shallow-v2" + CardFile.SUFFIX;

  /** Version 2 bundle with the same contents as {@link #BUNDLE}, as {@link #bundle} packs it. */
  static final String BUNDLE_V2 = "golden-detect-v2.bundle";

  static final String MODEL = "micro-shallow.tflite";

  /** Version 2 card of the promptable micro CNN (a PIXEL and a CHANNEL_SCALE_SHIFT input). */
  static final String CNN_CARD = "micro-cnn-v2" + CardFile.SUFFIX;

  /** Version 2 segmentation bundle carrying a tensor for each of the CNN's prompt inputs. */
  static final String CNN_BUNDLE = "golden-cnn-segment-v2.bundle";

  static final List<String> CNN_LABELS = List.of("background", "circle", "square");
  static final long SEED = 7;
  static final List<String> LABELS = List.of("circle", "square");
  static final InterpreterConfig CONFIG = new InterpreterConfig(1, false, Optional.empty());

  /** How to rebuild the files, for the messages of tests that find them out of date. */
  static final String REGENERATE =
      "regenerate them with ./mvnw -B -ntp -q -pl tools -am test -Dtest=RegenerateGolden"
          + " -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dgolden.regenerate=$PWD/tools/src/test/resources/golden"
          + " (see tools/src/test/resources/golden/README.md), and say why in the commit";

  private GoldenFiles() {}

  static VitSpec spec() {
    return VitSpec.micro(false);
  }

  /** Builds the micro backbone (model and card) into {@code dir}. */
  static CardFile backbone(Path dir) throws IOException {
    VitSpec spec = spec();
    return BackboneFiles.write(
        dir,
        spec,
        VitWeights.random(spec, SEED),
        Provenance.newBuilder()
            .setCommand("GoldenFiles.backbone: VitSpec.micro(false), VitWeights.random(spec, 7)")
            .setSeed(SEED)
            .setData("none: seeded random weights")
            .setTool("promptedge tests")
            .build());
  }

  /** Packs the golden detection bundle for {@code card}. */
  static Bundle bundle(CardFile card) {
    VitSpec spec = spec();
    int outputs = LABELS.size() + HeadBuilder.DETECTION_EXTRA;
    byte[] head =
        HeadBuilder.build(
            TaskKind.DETECTION,
            HeadWeights.random(outputs, spec.embedDim(), SEED),
            spec.gridHeight(),
            spec.gridWidth(),
            spec.embedDim());
    float[] prompt = new float[spec.promptLayers() * spec.promptTokens() * spec.embedDim()];
    for (int i = 0; i < prompt.length; i++) {
      prompt[i] = (float) Math.sin(0.37 * i) * 0.5f;
    }
    return BundlePacker.pack(
        card,
        new BundleContents(
            "golden-detect",
            TaskKind.DETECTION,
            1,
            LABELS,
            Map.of("prompt", prompt),
            head,
            List.of("features"),
            BundleContents.defaultPostProcessing(TaskKind.DETECTION, LABELS.size()),
            SelfTestImages.syntheticPng(spec.inputWidth(), spec.inputHeight(), SEED),
            Map.of(),
            Provenance.newBuilder()
                .setCommand(
                    "GoldenFiles.bundle: HeadWeights.random(7, 32, 7), prompt sin(0.37 i) / 2")
                .setSeed(SEED)
                .setData("none: seeded head, formula prompt")
                .setTool("promptedge tests")
                .build()),
        CONFIG);
  }

  /** Builds the promptable micro CNN ({@code CnnBuilder.buildPromptable(7)}) into {@code dir}. */
  static CardFile cnnBackbone(Path dir) throws IOException {
    return CnnFiles.writePromptableCnn(
        dir,
        "micro-cnn-v2",
        SEED,
        Provenance.newBuilder()
            .setCommand("GoldenFiles.cnnBackbone: CnnBuilder.buildPromptable(7)")
            .setSeed(SEED)
            .setData("none: seeded random weights")
            .setTool("promptedge tests")
            .build());
  }

  /**
   * Packs the golden CNN segmentation bundle: pixel_prompt {@code 0.1·sin(0.11·i)}, scale_shift_0
   * its identity plus {@code 0.05·cos(0.5·i)}, head {@code HeadWeights.random(3, 16, 7)} reading
   * features_s8.
   */
  static Bundle cnnBundle(CardFile card) {
    float[] pixel = new float[CnnBuilder.INPUT * CnnBuilder.INPUT * 3];
    for (int i = 0; i < pixel.length; i++) {
      pixel[i] = (float) Math.sin(0.11 * i) * 0.1f;
    }
    float[] scaleShift = new float[2 * CnnBuilder.SCALE_SHIFT_CHANNELS];
    for (int i = 0; i < scaleShift.length; i++) {
      scaleShift[i] =
          (i < CnnBuilder.SCALE_SHIFT_CHANNELS ? 1f : 0f) + (float) Math.cos(0.5 * i) * 0.05f;
    }
    byte[] head =
        HeadBuilder.build(
            TaskKind.SEGMENTATION,
            HeadWeights.random(CNN_LABELS.size(), CnnBuilder.DIM, SEED),
            CnnBuilder.FEATURES_S8,
            CnnBuilder.GRID,
            CnnBuilder.GRID,
            CnnBuilder.DIM);
    Map<String, float[]> prompts = new LinkedHashMap<>();
    prompts.put(CnnBuilder.PIXEL_PROMPT, pixel);
    prompts.put(CnnBuilder.SCALE_SHIFT, scaleShift);
    return BundlePacker.pack(
        card,
        new BundleContents(
            "golden-cnn-segment",
            TaskKind.SEGMENTATION,
            1,
            CNN_LABELS,
            prompts,
            head,
            List.of(CnnBuilder.FEATURES_S8),
            BundleContents.defaultPostProcessing(TaskKind.SEGMENTATION, CNN_LABELS.size()),
            SelfTestImages.syntheticPng(CnnBuilder.INPUT, CnnBuilder.INPUT, SEED),
            Map.of(),
            Provenance.newBuilder()
                .setCommand(
                    "GoldenFiles.cnnBundle: pixel 0.1 sin(0.11 i), scale_shift identity + 0.05"
                        + " cos(0.5 i), HeadWeights.random(3, 16, 7)")
                .setSeed(SEED)
                .setData("none: seeded head, formula prompts")
                .setTool("promptedge tests")
                .build()),
        CONFIG);
  }

  /**
   * Writes the version 2 golden card and bundle into {@code out}; the model is built in a temp dir.
   * The version 1 files stay as they were committed.
   */
  static void regenerate(Path out) throws IOException {
    Path work = Files.createTempDirectory("golden");
    CardFile card = backbone(work);
    Files.createDirectories(out);
    AtomicFiles.write(out.resolve(CARD_V2), Files.readAllBytes(card.path()));
    AtomicFiles.write(out.resolve(BUNDLE_V2), bundle(card).toBytes());
    Files.delete(card.modelPath(false));
    Files.delete(card.path());
    CardFile cnn = cnnBackbone(work);
    AtomicFiles.write(out.resolve(CNN_CARD), Files.readAllBytes(cnn.path()));
    AtomicFiles.write(out.resolve(CNN_BUNDLE), cnnBundle(cnn).toBytes());
    Files.delete(cnn.modelPath(false));
    Files.delete(cnn.path());
    Files.delete(work);
  }
}
