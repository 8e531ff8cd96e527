package dev.promptedge.tools.cli;

import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Split;
import dev.promptedge.tools.data.scenes.SceneDatasets;
import dev.promptedge.tools.data.scenes.SceneOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge data generate}: Fashion-MNIST scenes in the three dataset layouts. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Place Fashion-MNIST items (tinted, scaled, partly occluded) on cluttered RGB canvases"
          + " (stripes, noise, glows, blobs) and write the same scenes as a COCO detection"
          + " dataset, a class-mask segmentation dataset and an ImageFolder classification"
          + " dataset of item crops. Masks and boxes are exact: an item's pixels are its glyph's"
          + " pixels above 24 after scaling, minus what later items cover. The same seed and"
          + " options give byte-identical files. Train scenes use the 60,000 training glyphs,"
          + " val scenes the 10,000 test glyphs.",
      "",
      "Layout written:",
      "  OUT/recipe.json                              seed, options, glyph source",
      "  OUT/detection/SPLIT/instances.json           COCO: bbox [x,y,w,h], RLE masks",
      "  OUT/detection/SPLIT/images/NNNNNN.png",
      "  OUT/segmentation/SPLIT/labels.txt            background + 10 classes",
      "  OUT/segmentation/SPLIT/images/NNNNNN.png",
      "  OUT/segmentation/SPLIT/masks/NNNNNN.png      palette PNG, 0 = background",
      "  OUT/classification/SPLIT/CLASS/NNNNNN_K.png  crop of item K of scene NNNNNN",
      "(SPLIT is train and/or val.)",
      "",
      "Needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or"
          + " --fashion-mnist DIR with the four IDX .gz files.",
      "",
      "Example: promptedge data generate --out data/scenes --seed 1 --count 2000",
      ""
    })
final class DataGenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin OutDirOption out;

  @CommandLine.Mixin SeedOption seed = new SeedOption(1);

  @Option(
      names = "--count",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Train scenes (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--val-count",
      paramLabel = "N",
      description = "Val scenes (default: a fifth of --count, at least 1).")
  Integer valCount;

  @Option(
      names = "--size",
      defaultValue = "64",
      paramLabel = "PIXELS",
      description = "Canvas width and height (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--max-items",
      defaultValue = "3",
      paramLabel = "N",
      description = "Most items per scene; each has 1..N (default: ${DEFAULT-VALUE}).")
  int maxItems;

  @CommandLine.Mixin FashionMnistSource source;

  @Override
  public Integer call() throws IOException {
    PrintWriter log = spec.commandLine().getOut();
    SceneOptions options = new SceneOptions(size, maxItems);
    if (count < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count must be at least 1");
    }
    int val = valCount != null ? valCount : Math.max(1, count / 5);
    List<SceneDatasets.SplitPlan> plans = new ArrayList<>();
    for (Split split : source.splits(spec)) {
      Path images = source.dir.resolve(FashionMnist.fileNames(split).get(0));
      FashionMnist glyphs = FashionMnist.read(source.dir, split);
      String source =
          images
              + " sha256 "
              + Sha256.hex(Files.readAllBytes(images))
              + " ("
              + glyphs.size()
              + " glyphs)";
      plans.add(
          new SceneDatasets.SplitPlan(split, split == Split.TRAIN ? count : val, glyphs, source));
    }
    long start = System.nanoTime();
    SceneDatasets.generate(
        out.value(),
        seed.value(),
        options,
        plans,
        (split, done, n) -> {
          if (done % Math.max(1, n / 10) == 0 || done == n) {
            synchronized (log) {
              log.printf("%s: %d/%d scenes%n", split.dirName(), done, n);
            }
          }
        });
    int total = plans.stream().mapToInt(SceneDatasets.SplitPlan::count).sum();
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf(
        "wrote %d scenes of %dx%d to %s in %.1f s (%.0f scenes/s); recipe in %s%n",
        total,
        size,
        size,
        out.value(),
        seconds,
        total / seconds,
        out.value().resolve("recipe.json"));
    return 0;
  }
}
