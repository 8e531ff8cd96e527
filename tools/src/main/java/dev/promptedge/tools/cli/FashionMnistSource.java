package dev.promptedge.tools.cli;

import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Split;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the {@code data} commands that write splits from the Fashion-MNIST files. */
final class FashionMnistSource {

  @Option(
      names = "--split",
      defaultValue = "train,val",
      split = ",",
      paramLabel = "SPLIT",
      description = "Splits to write: train, val or both (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(
      names = "--fashion-mnist",
      paramLabel = "DIR",
      description = "Folder with the Fashion-MNIST IDX .gz files (default: ${DEFAULT-VALUE}).")
  Path dir = FashionMnist.DEBIAN_DIR;

  /** The splits {@code --split} names, or a usage error of {@code spec} naming the bad one. */
  Set<Split> splits(CommandLine.Model.CommandSpec spec) {
    Set<Split> result = new LinkedHashSet<>();
    for (String s : splits) {
      switch (s.trim()) {
        case "train" -> result.add(Split.TRAIN);
        case "val" -> result.add(Split.VAL);
        default ->
            throw new CommandLine.ParameterException(
                spec.commandLine(), "--split takes train and/or val, got '" + s + "'");
      }
    }
    return result;
  }
}
