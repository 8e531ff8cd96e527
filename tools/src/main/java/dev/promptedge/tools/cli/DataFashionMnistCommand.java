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
          + " 'promptedge train --task classification' and 'promptedge eval': 28x28 grey PNGs"
          + " named by their index in the IDX file. train takes the first --train-count training"
          + " images; val takes the 10,000 test images (the public benchmark's test set), or"
          + " with --val-from train the --val-count training images after the train ones, to"
          + " pick epochs on without touching the test set. A split is written beside its final"
          + " folder and moved in place when complete.",
      "",
      "Layout written: OUT/train/CLASS/NNNNN.png and OUT/val/CLASS/NNNNN.png",
      "",
      "Needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or"
          + " --fashion-mnist DIR with the four IDX .gz files.",
      "",
      "Example (train with a held-out val, evaluate on the test set):",
      "  promptedge data fashion-mnist --out fm --train-count 3000 --val-count 1000"
          + " --val-from train",
      "  promptedge data fashion-mnist --out fm-test --split val",
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
      description = "Val images (default: ${DEFAULT-VALUE}, all of the test set).")
  int valCount;

  @Option(
      names = "--val-from",
      defaultValue = "test",
      paramLabel = "FILE",
      description =
          "test (the test images from the first) or train (the training images after the"
              + " --train-count train ones) (default: ${DEFAULT-VALUE}).")
  String valFrom;

  @CommandLine.Mixin FashionMnistSource source;

  @Override
  public Integer call() throws IOException {
    if (trainCount < 1 || valCount < 1) {
      throw usage("--train-count and --val-count must be at least 1");
    }
    if (!valFrom.equals("test") && !valFrom.equals("train")) {
      throw usage("--val-from takes test or train, got '" + valFrom + "'");
    }
    boolean heldOut = valFrom.equals("train");
    PrintWriter log = spec.commandLine().getOut();
    for (Split split : source.splits(spec)) {
      boolean fromTrain = split == Split.TRAIN || heldOut;
      FashionMnist glyphs = FashionMnist.read(source.dir, fromTrain ? Split.TRAIN : Split.VAL);
      int from = split == Split.VAL && heldOut ? trainCount : 0;
      if (from >= glyphs.size()) {
        throw usage(
            "--val-from train needs training images after the first "
                + trainCount
                + ", and there are "
                + glyphs.size());
      }
      int written =
          FashionMnistFolders.write(
              glyphs,
              from,
              split == Split.TRAIN ? trainCount : valCount,
              split,
              out,
              (s, done, total) -> {
                if (done % Math.max(1, total / 10) == 0 || done == total) {
                  log.printf("%s: %d/%d images%n", s.dirName(), done, total);
                  log.flush();
                }
              });
      log.printf(
          "wrote %d %s images (%s images %d..%d) to %s%n",
          written,
          split.dirName(),
          fromTrain ? "training" : "test",
          from,
          from + written - 1,
          out.resolve(split.dirName()));
    }
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
