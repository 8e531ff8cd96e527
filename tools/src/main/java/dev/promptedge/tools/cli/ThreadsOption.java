package dev.promptedge.tools.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --threads} option of the commands that run the interpreter (and, for {@code backbone
 * throughput}, PyTorch). Each command passes its default and says what runs on the threads under
 * {@code <command path>.threads} in {@code Options.properties}.
 */
final class ThreadsOption {

  @Option(names = "--threads", paramLabel = "N", descriptionKey = "threads")
  int threads;

  /** The option with {@code defaultThreads} when the command line has none. */
  ThreadsOption(int defaultThreads) {
    this.threads = defaultThreads;
  }

  /** The option defaulting to every core of this host. */
  static ThreadsOption allCores() {
    return new ThreadsOption(Runtime.getRuntime().availableProcessors());
  }

  int value() {
    return threads;
  }
}
