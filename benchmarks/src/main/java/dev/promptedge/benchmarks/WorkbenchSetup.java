package dev.promptedge.benchmarks;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.tools.files.FileTrees;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.HeadBuilder;
import dev.promptedge.tools.graph.HeadWeights;
import dev.promptedge.tools.graph.TaskModelBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.onnx.OnnxExport;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SeededContents;
import dev.promptedge.tools.pack.SelfTestImages;
import dev.promptedge.tools.publish.KeyFiles;
import dev.promptedge.tools.publish.Signer;
import dev.promptedge.tools.publish.SigningKey;
import dev.promptedge.tools.quantize.Calibration;
import dev.promptedge.tools.quantize.CalibrationImages;
import dev.promptedge.tools.quantize.QuantizedBackboneFiles;
import dev.promptedge.tools.quantize.Quantizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Prepares a {@link Workbench}: builds (or copies, with {@code --card}) the backbone, quantizes it
 * to full int8 when its card has no quantized model, exports both models to ONNX, packs, signs and
 * bakes the tasks (a {@code .tflite} and its ONNX QDQ form each) with the project's own builders.
 * Deterministic for a given seed. Not thread-safe.
 */
public final class WorkbenchSetup {

  static final String DONE = "workbench.txt";
  static final long SEED = 7;
  static final List<String> DETECTION_LABELS = List.of("circle", "square", "triangle");
  static final List<String> SEGMENTATION_LABELS =
      List.of("background", "circle", "square", "triangle");
  private static final InterpreterConfig CALIBRATION =
      new InterpreterConfig(1, false, Optional.empty());
  private static final Provenance PROVENANCE =
      Provenance.newBuilder()
          .setTool("promptedge-benchmarks")
          .setCommand("dev.promptedge.benchmarks.Report")
          .addNotes("seeded weights, made at benchmark time")
          .build();

  private WorkbenchSetup() {}

  /** The backbone generated when no card is given: the demo ViT's architecture, seeded weights. */
  public static VitSpec demoSpec() {
    return VitSpec.demo(false);
  }

  /**
   * Prepares {@code dir} (emptied first) on the backbone of {@code card}, or on {@code spec} with
   * seeded weights when {@code card} is empty; {@code calibrationImages} synthetic images calibrate
   * every int8 model. Progress lines go to {@code log}.
   */
  public static Workbench prepare(
      Path dir, Optional<Path> card, VitSpec spec, int calibrationImages, Consumer<String> log)
      throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(DONE));
    FileTrees.deleteContents(dir);
    Path backboneDir = Files.createDirectories(dir.resolve("backbone"));
    CardFile cardFile;
    String origin;
    if (card.isPresent()) {
      cardFile = CardCopy.copy(CardFile.read(card.get()), backboneDir);
      spec = CardCopy.specOf(cardFile);
      origin = "card " + card.get();
    } else {
      cardFile = BackboneFiles.write(backboneDir, spec, VitWeights.random(spec, SEED), PROVENANCE);
      origin = "generated, seed " + SEED;
    }
    VitWeights weights = VitWeights.random(spec, SEED);
    BackboneCard c = cardFile.card();
    List<java.awt.image.BufferedImage> images =
        CalibrationImages.synthetic(
                c.getInputWidth(), c.getInputHeight(), calibrationImages, SEED * 1000)
            .images();
    if (!c.hasQuantizedModel()) {
      log.accept("quantizing " + c.getName() + " to full int8");
      long start = System.nanoTime();
      var model =
          Quantizer.fullInteger(
              QuantizedBackboneFiles.floatModel(cardFile),
              Calibration.forBackbone(cardFile, images, Calibration.DEFAULT_PROMPT_STD, SEED),
              CALIBRATION);
      cardFile = QuantizedBackboneFiles.write(cardFile, model, "benchmarks: full int8");
      log.accept(String.format("  %.1f s", (System.nanoTime() - start) / 1e9));
    }
    // Both engines run every row: the ONNX forms are recorded in the card before the bundles are
    // packed, so that each bundle's self-test covers all four backbone files.
    cardFile = OnnxExport.export(cardFile);
    VitSpec micro = VitSpec.micro(false);
    OnnxExport.export(
        BackboneFiles.write(
            Files.createDirectories(dir.resolve("micro")),
            micro,
            VitWeights.random(micro, SEED),
            PROVENANCE));

    SigningKey key = KeyFiles.generate(dir.resolve("keys"), "bench");
    Path bundles = Files.createDirectories(dir.resolve("bundles"));
    Path signed = Files.createDirectories(dir.resolve("signed"));
    Path baked = Files.createDirectories(dir.resolve("baked"));
    for (int i = 0; i < Workbench.TASKS; i++) {
      long start = System.nanoTime();
      TaskKind kind = i % 2 == 0 ? TaskKind.DETECTION : TaskKind.SEGMENTATION;
      List<String> labels = kind == TaskKind.DETECTION ? DETECTION_LABELS : SEGMENTATION_LABELS;
      long seed = 100 + i;
      String name = Workbench.taskName(i);
      BundleContents contents =
          SeededContents.of(
              cardFile,
              name,
              kind,
              labels,
              1,
              seed,
              BundleContents.defaultPostProcessing(kind, labels.size()),
              PROVENANCE);
      Bundle bundle = BundlePacker.pack(cardFile, contents, Workbench.DAEMON);
      Files.write(bundles.resolve(name + ".bundle"), bundle.toBytes());
      Files.write(signed.resolve(name + ".bundle"), Signer.bundle(bundle.toBytes(), key));

      int outputs =
          kind == TaskKind.DETECTION ? labels.size() + HeadBuilder.DETECTION_EXTRA : labels.size();
      HeadWeights head = HeadWeights.random(outputs, spec.embedDim(), seed);
      byte[] floatTask =
          TaskModelBuilder.build(spec, weights, contents.prompts().get("prompt"), kind, head);
      // Dynamic range (int8 weights): the full-integer rewriter has no range for the constant
      // prompt that feeds CONCATENATION (FullIntegerRewriter: "params" is null).
      byte[] int8Task = Quantizer.dynamicRange(floatTask).bytes();
      Files.write(baked.resolve(name + ".tflite"), int8Task);
      Files.write(
          baked.resolve(name + ".onnx"),
          TfliteToOnnx.convertQuantized(int8Task, TaskModelBuilder.SIGNATURE).toByteArray());
      log.accept(
          String.format(
              "%s: bundle %d bytes, baked int8 task model %d bytes (%.1f s)",
              name, bundle.sizeBytes(), int8Task.length, (System.nanoTime() - start) / 1e9));
    }
    Files.write(
        dir.resolve("image.png"),
        SelfTestImages.syntheticPng(c.getInputWidth(), c.getInputHeight(), SEED));
    String description = c.getName() + " (" + origin + "): " + spec;
    Files.writeString(dir.resolve(DONE), description + "\n", StandardCharsets.UTF_8);
    return Workbench.open(dir);
  }
}
