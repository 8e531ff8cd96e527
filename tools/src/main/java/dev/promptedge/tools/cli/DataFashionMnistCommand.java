package dev.promptedge.tools.cli;

import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.FashionMnistFolders;
import dev.promptedge.tools.data.Split;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code promptedge data fashion-mnist}: the real Fashion-MNIST as a classification dataset. */
@Command(
    name = "fashion-mnist",
    mixinStandardHelpOptions = true,
    description = {
      "Write Fashion-MNIST itself (not scenes) as an ImageFolder classification dataset for"
          + " 'promptedge train --task classification' and 'promptedge eval': train from the"
          + " 60,000 training images, val from the 10,000 test images (the public benchmark's"
          + " test set), 28x28 grey PNGs named by their index in the IDX file. A split is"
          + " written beside its final folder and moved in place when complete.",
      "",
      "Layout written: OUT/train/CLASS/NNNNN.png and OUT/val/CLASS/NNNNN.png",
      "",
      "Needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or"
          + " --fashion-mnist DIR with the four IDX .gz files.",
      "",
      "Example: promptedge data fashion-mnist --out data/fashion-mnist --train-count 6000",
      ""
    })
final class DataFashionMnistCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(
      names = "--train-count",
      defaultValue = "60000",
      paramLabel = "N",
      description = "The first N training images (default: all ${DEFAULT-VALUE}).")
  int trainCount;

  @Option(
      names = "--val-count",
      defaultValue = "10000",
      paramLabel = "N",
      description = "The first N test images (default: all ${DEFAULT-VALUE}).")
  int valCount;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Folder with the Fashion-MNIST IDX .gz files (default: ${DEFAULT-VALUE}).")
  Path fashionMnist = FashionMnist.DEBIAN_DIR;

  @Override
  public Integer call() throws IOException {
    if (trainCount < 1 || valCount < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--train-count and --val-count must be at least 1");
    }
    PrintWriter log = spec.commandLine().getOut();
    for (Split split : Split.values()) {
      int count = split == Split.TRAIN ? trainCount : valCount;
      int written =
          FashionMnistFolders.write(
              FashionMnist.read(fashionMnist, split),
              split,
              count,
              out,
              (s, done, total) -> {
                if (done % Math.max(1, total / 10) == 0 || done == total) {
                  log.printf("%s: %d/%d images%n", s.dirName(), done, total);
                  log.flush();
                }
              });
      log.printf(
          "wrote %d %s images to %s%n", written, split.dirName(), out.resolve(split.dirName()));
    }
    return 0;
  }
}
