package dev.promptedge.tools.cli;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.Engine;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.head.ClassScore;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.PngBytes;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.runtime.tflite.InterpreterConfig;
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
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge demo}: the committed demo backbone with its two trained bundles, swapped live
 * on validation scenes, each result printed beside the scene's truth.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run a demo backbone (embedded in the tool) with its two trained bundles, a detection and"
          + " a segmentation one, installed into one task engine and swapped live on embedded"
          + " validation scenes (Fashion-MNIST test items the backbone and the bundles never saw)."
          + " Prints each result beside the scene's truth and draws the results into --work.",
      "Nothing is trained or downloaded: models/demo/README.md and models/nanodet/README.md say"
          + " how the backbones and the bundles were made."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Directory for the models, scenes, store and drawings (default: a temp dir).")
  Path work;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Interpreter threads (default: ${DEFAULT-VALUE}: the demo backbone gains little from"
              + " more, and a second thread stalls at every op when other processes load the"
              + " cores).")
  int threads;

  @Option(
      names = "--quantized",
      description =
          "Run the int8 backbone, as a board does (on x86 TFLite 2.6.2 has no fast int8 kernels:"
              + " about 50x slower than float there).")
  boolean quantized;

  @Option(
      names = "--backbone",
      defaultValue = "vit",
      description =
          "Demo backbone: vit (models/demo: the demo ViT, pretrained here on such scenes; bundles"
              + " fashion-detect and fashion-segment) or nanodet (models/nanodet: NanoDet-g,"
              + " COCO-pretrained by others; bundles nanodet-detect and nanodet-segment; int8"
              + " only, its float model is not shipped) (default: ${DEFAULT-VALUE}).")
  DemoBackbone backboneChoice;

  @CommandLine.Mixin EngineOption engine;

  /** The demo backbones the jar holds. */
  enum DemoBackbone {
    vit(DemoAssets.VIT),
    nanodet(DemoAssets.NANODET);

    final DemoAssets.Kit kit;

    DemoBackbone(DemoAssets.Kit kit) {
      this.kit = kit;
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = work != null ? work : Files.createTempDirectory("promptedge-demo");
    DemoAssets.Kit kit = backboneChoice.kit;
    DemoAssets.extract(kit, dir);
    InterpreterConfig config = engine.apply(new InterpreterConfig(threads, true, Optional.empty()));
    CardFile card = CardFile.read(dir.resolve(kit.card()));
    boolean quantized = this.quantized;
    if (!Files.isRegularFile(card.modelPath(false))) {
      if (config.engine() == EngineKind.ONNXRUNTIME) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--backbone "
                + backboneChoice
                + " ships only its int8 TFLite model, which engine onnxruntime does not run: use"
                + " --engine tflite");
      }
      if (!quantized) {
        out.printf(
            "backbone  float model %s is not shipped (models/%s says how to make it): running the"
                + " int8 model%n",
            card.card().getFloatModel().getPath(),
            backboneChoice == DemoBackbone.nanodet ? "nanodet" : "demo");
        quantized = true;
      }
    }
    if (config.engine() == EngineKind.ONNXRUNTIME && !card.hasOnnxModel()) {
      card = OnnxExport.export(card);
      out.printf("backbone  exported to ONNX for onnxruntime: %s%n", card.onnxPath());
    }
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
        describeBundle(out, bundle, backboneBytes);
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
        out.printf("%s  truth: %s%n", scene, truthBoxes(truth, boxes.labels()));
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
              describe(result.output()),
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
    return 0;
  }

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

  private static void describeBundle(PrintWriter out, Bundle bundle, long backboneBytes) {
    PromptBundle b = bundle.bundle();
    StringBuilder metrics = new StringBuilder();
    b.getMetricsMap().entrySet().stream()
        .filter(e -> e.getKey().startsWith("val_") && !e.getKey().equals("val_loss"))
        .forEach(
            e ->
                metrics.append(
                    String.format(
                        Locale.ROOT, "; %s %.3f", e.getKey().replace('_', ' '), e.getValue())));
    out.printf(
        Locale.ROOT,
        "bundle    %s v%d (%s): %,d bytes = %.1f%% of the backbone, %,d trained values%s%n",
        bundle.name(),
        bundle.version(),
        b.getTask(),
        bundle.sizeBytes(),
        100.0 * bundle.sizeBytes() / backboneBytes,
        Math.round(b.getMetricsOrDefault("trainable_parameters", 0)),
        metrics);
  }

  private static String truthBoxes(DetectionSample truth, List<String> labels) {
    return truth.instances().stream()
        .map(
            t ->
                String.format(
                    Locale.ROOT,
                    "%s (%.0f,%.0f)-(%.0f,%.0f)",
                    labels.get(t.classIndex()),
                    t.box().xMin(),
                    t.box().yMin(),
                    t.box().xMax(),
                    t.box().yMax()))
        .collect(Collectors.joining(", "));
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

  static String describe(TaskOutput output) {
    if (output instanceof TaskOutput.Detections d) {
      return d.boxes().size()
          + (d.boxes().size() == 1 ? " box" : " boxes")
          + d.boxes().stream().limit(3).map(b -> " " + box(b)).collect(Collectors.joining())
          + (d.boxes().size() > 3 ? " ..." : "");
    }
    if (output instanceof TaskOutput.Segmentation s) {
      int[] counts = s.mask().classPixels();
      StringBuilder text = new StringBuilder("pixels per class");
      for (int c = 0; c < counts.length; c++) {
        if (counts[c] > 0) {
          text.append(' ').append(s.mask().labels().get(c)).append('=').append(counts[c]);
        }
      }
      return text.toString();
    }
    TaskOutput.Classes c = (TaskOutput.Classes) output;
    return c.top().stream().map(DemoCommand::score).collect(Collectors.joining(", "));
  }

  private static String box(Detection d) {
    return String.format(
        "%s %.2f (%.0f,%.0f)-(%.0f,%.0f)",
        d.label(), d.score(), d.box().xMin(), d.box().yMin(), d.box().xMax(), d.box().yMax());
  }

  private static String score(ClassScore s) {
    return String.format("%s %.2f", s.label(), s.probability());
  }
}
