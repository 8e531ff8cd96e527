package dev.promptedge.tools.cli;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.demo.DemoAssets;
import dev.promptedge.tools.demo.DemoRequest;
import dev.promptedge.tools.demo.DemoWorkflow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
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

  @CommandLine.Mixin ThreadsOption threads = new ThreadsOption(1);

  @Option(
      names = "--quantized",
      description =
          "Run the int8 backbone, as a board does (on x86 TFLite 2.6.2 has no fast int8 kernels:"
              + " about 50x slower than float there).")
  boolean quantized;

  @Option(
      names = "--backbone",
      defaultValue = "nanodet",
      description =
          "Demo backbone: nanodet (models/nanodet: NanoDet-g, COCO-pretrained by others; bundles"
              + " nanodet-detect and nanodet-segment; int8 only, TFLite and ONNX, its float model"
              + " is not shipped) or vit (models/demo: the demo ViT, pretrained here on such"
              + " scenes; bundles fashion-detect and fashion-segment) (default: ${DEFAULT-VALUE}).")
  DemoBackbone backboneChoice;

  @CommandLine.Mixin EngineOption engine;

  /** The demo backbones the jar holds. */
  enum DemoBackbone {
    nanodet(DemoAssets.NANODET),
    vit(DemoAssets.VIT);

    final DemoAssets.Kit kit;

    DemoBackbone(DemoAssets.Kit kit) {
      this.kit = kit;
    }
  }

  @Override
  public Integer call() throws IOException {
    Path dir = work != null ? work : Files.createTempDirectory("promptedge-demo");
    InterpreterConfig config =
        engine.apply(new InterpreterConfig(threads.value(), true, Optional.empty()));
    DemoWorkflow.run(
        new DemoRequest(backboneChoice.kit, dir, config, quantized), spec.commandLine().getOut());
    return 0;
  }
}
