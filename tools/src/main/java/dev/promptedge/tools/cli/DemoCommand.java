package dev.promptedge.tools.cli;

import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.head.ClassScore;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import dev.promptedge.runtime.tflite.SignatureRunner;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.pack.BundleContents;
import dev.promptedge.tools.pack.BundlePacker;
import dev.promptedge.tools.pack.SeededContents;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge demo}: one backbone, two tasks, swapped live on the embedded images. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Build a micro backbone, pack a detection and a segmentation bundle for it, install both"
          + " into a task engine and run them on the embedded demo images, switching tasks"
          + " between runs. Prints each result with the bundle that produced it.",
      "The weights are seeded, not trained: the point is the mechanics (one backbone, bundles"
          + " swapped), not the quality of the boxes and masks."
    })
final class DemoCommand implements Callable<Integer> {

  static final List<String> IMAGES = List.of("street.png", "shelf.png");
  static final List<String> SHAPES = List.of("circle", "square", "triangle");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Directory for the backbone, bundles and store (default: a new temp dir).")
  Path work;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Interpreter threads (default: ${DEFAULT-VALUE}: the micro backbone gains nothing from"
              + " more, and a second thread stalls at every op when other processes load the"
              + " cores).")
  int threads;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = work != null ? work : Files.createTempDirectory("promptedge-demo");
    InterpreterConfig config = new InterpreterConfig(threads, true, Optional.empty());

    VitSpec vit = VitSpec.micro(false);
    Provenance provenance = Provenances.of(spec, 7, "none: seeded random weights");
    CardFile card = BackboneFiles.write(dir, vit, VitWeights.random(vit, 7), provenance);
    out.printf(
        "backbone  %s: %d bytes, input %dx%d, features %dx%dx%d (%s)%n",
        card.card().getName(),
        card.card().getFloatModel().getSizeBytes(),
        vit.inputWidth(),
        vit.inputHeight(),
        card.gridHeight(),
        card.gridWidth(),
        vit.embedDim(),
        card.modelPath(false));

    Bundle detect = pack(card, "shapes-detect", TaskKind.DETECTION, SHAPES, 11, config, provenance);
    Bundle segment =
        pack(
            card,
            "shapes-segment",
            TaskKind.SEGMENTATION,
            List.of("background", "circle", "square", "triangle"),
            12,
            config,
            provenance);

    long backbonesBefore = SignatureRunner.interpretersCreated(VitBuilder.SIGNATURE);
    try (Backbone backbone = Backbone.open(card, false, config);
        TaskEngine engine =
            TaskEngine.open(
                backbone,
                BundleStore.open(dir.resolve("store")),
                new EngineSettings(config, EngineSettings.DEFAULT_RESIDENT_BUDGET, 1L << 20))) {
      engine.install(detect.toBytes());
      engine.install(segment.toBytes());
      out.printf("installed %s; active: %s%n", engine.installed(), engine.active().orElse("none"));
      ImageDecoder decoder = new ImageDecoder();
      for (String name : IMAGES) {
        BufferedImage image = decoder.decode(resource(name));
        for (String task : List.of("shapes-detect", "shapes-segment")) {
          long start = System.nanoTime();
          engine.activate(task);
          long swapNanos = System.nanoTime() - start;
          InferenceResult result = engine.infer(TaskRequest.active(image));
          out.printf(
              "%-10s %dx%d  activate %s in %.3f ms -> %s v%d: %s  [backbone %.2f ms, head %.2f ms]%n",
              name,
              image.getWidth(),
              image.getHeight(),
              task,
              swapNanos / 1e6,
              result.bundleName(),
              result.bundleVersion(),
              describe(result.output()),
              result.timings().backboneMicros() / 1e3,
              result.timings().headMicros() / 1e3);
        }
      }
      out.printf(
          "backbone interpreters created while serving both tasks: %d%n",
          SignatureRunner.interpretersCreated(VitBuilder.SIGNATURE) - backbonesBefore);
    }
    out.printf("files in %s%n", dir);
    return 0;
  }

  private Bundle pack(
      CardFile card,
      String name,
      TaskKind task,
      List<String> labels,
      long seed,
      InterpreterConfig config,
      Provenance provenance)
      throws IOException {
    BundleContents contents =
        SeededContents.of(
            card,
            name,
            task,
            labels,
            1,
            seed,
            BundleContents.defaultPostProcessing(task, labels.size()),
            provenance);
    Bundle bundle = BundlePacker.pack(card, contents, config);
    AtomicFiles.write(card.path().resolveSibling(name + BundleReader.SUFFIX), bundle.toBytes());
    spec.commandLine()
        .getOut()
        .printf(
            "bundle    %s v%d (%s): %d bytes = %.1f%% of the backbone%n",
            bundle.name(),
            bundle.version(),
            task,
            bundle.sizeBytes(),
            100.0 * bundle.sizeBytes() / card.card().getFloatModel().getSizeBytes());
    return bundle;
  }

  static String describe(TaskOutput output) {
    if (output instanceof TaskOutput.Detections d) {
      return d.boxes().size()
          + " boxes "
          + d.boxes().stream().limit(3).map(DemoCommand::box).collect(Collectors.joining(" "))
          + (d.boxes().size() > 3 ? " ..." : "");
    }
    if (output instanceof TaskOutput.Segmentation s) {
      int[] counts = s.mask().classPixels();
      StringBuilder text = new StringBuilder("pixels per class");
      for (int c = 0; c < counts.length; c++) {
        text.append(' ').append(s.mask().labels().get(c)).append('=').append(counts[c]);
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

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/" + name)) {
      if (in == null) {
        throw new IOException("demo image " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}
