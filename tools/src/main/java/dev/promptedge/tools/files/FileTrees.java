package dev.promptedge.tools.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Deletes scratch directory trees made by the tools and the benchmarks. Stateless. */
public final class FileTrees {

  private FileTrees() {}

  /** Deletes everything inside {@code dir}, keeping {@code dir}; an absent directory is fine. */
  public static void deleteContents(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.toList();
    }
    for (Path child : children) {
      deleteTree(child);
    }
  }

  /** Deletes {@code path} and, for a directory, everything below it; an absent path is fine. */
  public static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(path)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      Files.deleteIfExists(p);
    }
  }
}
