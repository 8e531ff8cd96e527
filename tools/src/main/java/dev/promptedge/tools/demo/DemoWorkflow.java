package dev.promptedge.tools.demo;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.Engine;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.tools.data.ClassMask;
import dev.promptedge.tools.data.CocoDataset;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.SegmentationDataset;
import dev.promptedge.tools.eval.ImageResult;
import dev.promptedge.tools.eval.Overlay;
import dev.promptedge.tools.onnx.OnnxExport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code promptedge demo}: extracts a demo kit, installs its two bundles into one task engine over
 * one backbone, activates each in turn on every scene, and prints each result beside the scene's
 * truth and the totals. Stateless; the engine and backbone live for one call.
 */
public final class DemoWorkflow {

  private DemoWorkflow() {}

  /**
   * Runs {@code request}, printing to {@code out}, and draws each result into {@code work/drawn}; a
   * kit that ships no float model runs its int8 model, on either engine.
   */
  public static void run(DemoRequest request, PrintWriter out) throws IOException {
    Path dir = request.work();
    DemoAssets.Kit kit = request.kit();
    InterpreterConfig config = request.config();
    Model model = model(request, out);
    CardFile card = model.card();
    boolean quantized = model.quantized();
    long backboneBytes = Files.size(card.modelPath(quantized));
    out.printf(
        Locale.ROOT,
        "backbone  %s (%s on %s): %,d bytes, input %dx%d, features %dx%dx%d%n",
        card.card().getName(),
        quantized ? "int8" : "float",
        config.engine().label(),
        backboneBytes,
        card.card().getInputWidth(),
        card.card().getInputHeight(),
        card.featureOutputs().get(0).height(),
        card.featureOutputs().get(0).width(),
        card.featureOutputs().get(0).channels());
    byte[] detect = Files.readAllBytes(dir.resolve(kit.detect()));
    byte[] segment = Files.readAllBytes(dir.resolve(kit.segment()));
    Path scenesDir = dir.resolve(DemoAssets.SCENES);
    CocoDataset boxes =
        CocoDataset.open(
            scenesDir.resolve("detection/val/instances.json"),
            scenesDir.resolve("detection/val/images"));
    SegmentationDataset masks = SegmentationDataset.open(scenesDir.resolve("segmentation/val"));
    Path drawn = Files.createDirectories(dir.resolve("drawn"));

    Engine backboneEngine = Engine.of(config);
    long backbonesBefore = backboneEngine.sessionsOpened(card.card().getSignature());
    try (Backbone backbone = Backbone.open(card, quantized, config);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(config, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1L << 20))) {
      List<Bundle> bundles = new ArrayList<>();
      for (byte[] bytes : List.of(detect, segment)) {
        Bundle bundle = BundleReader.parse(bytes, Long.MAX_VALUE);
        out.println(DemoLines.bundle(bundle, backboneBytes));
        bundles.add(bundle);
        engine.install(bytes);
      }
      if (!bundles.get(0).bundle().getLabelsList().equals(boxes.labels())) {
        throw new IllegalStateException(
            "the demo detection bundle's labels differ from the demo scenes' categories: rebuild"
                + " them with make-demo-bundles.sh in models/demo or models/nanodet");
      }
      out.printf("installed %s; active: %s%n", engine.installed(), engine.active().orElse("none"));
      DemoScore score = new DemoScore();
      for (int i = 0; i < boxes.size(); i++) {
        DetectionSample truth = boxes.get(i);
        String scene = boxes.id(i);
        ClassMask truthMask = maskOf(masks, scene);
        out.printf("%s  truth: %s%n", scene, DemoLines.truthBoxes(truth, boxes.labels()));
        for (String task : engine.installed()) {
          long start = System.nanoTime();
          engine.activate(task);
          long swapNanos = System.nanoTime() - start;
          InferenceResult result = engine.infer(TaskRequest.active(truth.image()));
          out.printf(
              Locale.ROOT,
              "%s  activate %s in %.3f ms -> %s v%d: %s; %s  [backbone %.2f ms, head %.2f ms]%n",
              scene,
              task,
              swapNanos / 1e6,
              result.bundleName(),
              result.bundleVersion(),
              DemoLines.output(result.output()),
              result.output() instanceof TaskOutput.Detections d
                  ? score.detections(d, truth)
                  : score.mask((TaskOutput.Segmentation) result.output(), truthMask),
              result.timings().backboneMicros() / 1e3,
              result.timings().headMicros() / 1e3);
          draw(drawn, scene, task, new ImageResult(i, truth, result), engine);
        }
      }
      out.println(score.summary(bundles.get(0).name(), bundles.get(1).name()));
      out.printf(
          "backbone sessions opened while serving both tasks: %d%n",
          backboneEngine.sessionsOpened(card.card().getSignature()) - backbonesBefore);
    }
    out.printf("drawn results in %s; files in %s%n", drawn, dir);
  }

  /** The kit's card, extracted, and which of its models runs (ONNX forms exported if needed). */
  private static Model model(DemoRequest request, PrintWriter out) throws IOException {
    Path dir = request.work();
    DemoAssets.Kit kit = request.kit();
    InterpreterConfig config = request.config();
    DemoAssets.extract(kit, dir);
    CardFile card = CardFile.read(dir.resolve(kit.card()));
    boolean quantized = request.quantized();
    if (!Files.isRegularFile(card.modelPath(false))) {
      if (!quantized) {
        out.printf(
            "backbone  float model %s is not shipped (%s says how to make it): running the"
                + " int8 model%n",
            card.card().getFloatModel().getPath(), kit.source());
        quantized = true;
      }
    }
    if (config.engine() == EngineKind.ONNXRUNTIME && !card.hasOnnxModel()) {
      card = OnnxExport.export(card);
      out.printf("backbone  exported to ONNX for onnxruntime: %s%n", card.onnxPath());
    }
    return new Model(card, quantized);
  }

  /** The card the demo runs and whether its int8 model does. */
  private record Model(CardFile card, boolean quantized) {}

  /** The true mask of the scene file {@code name}. */
  private static ClassMask maskOf(SegmentationDataset masks, String name) {
    for (int i = 0; i < masks.size(); i++) {
      if (stem(masks.id(i)).equals(stem(name))) {
        return masks.get(i).mask();
      }
    }
    throw new IllegalStateException("the demo scene " + name + " has no mask in the jar");
  }

  private static String stem(String file) {
    int dot = file.lastIndexOf('.');
    return dot < 0 ? file : file.substring(0, dot);
  }

  private static void draw(Path dir, String scene, String task, ImageResult r, TaskEngine engine)
      throws IOException {
    PromptBundle b = engine.activeBundle().orElseThrow();
    BufferedImage image =
        Overlay.draw(
            r,
            b.getPostProcessing().getDetection().getScoreThreshold(),
            b.getPostProcessing().getSegmentation().getBackgroundClass(),
            "");
    AtomicFiles.write(dir.resolve(stem(scene) + "-" + task + ".png"), PngBytes.encode(image));
  }
}
