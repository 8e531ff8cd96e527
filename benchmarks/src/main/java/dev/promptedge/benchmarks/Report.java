package dev.promptedge.benchmarks;

import dev.promptedge.tools.files.FileTrees;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one benchmark command: prepares the workbench, runs every JMH benchmark on both engines
 * (TFLite and ONNX Runtime), probes memory with real processes on each, and writes {@code
 * report.md} plus PNG plots.
 *
 * <pre>{@code
 * java -cp 'benchmarks/target/promptedge-benchmarks-*.jar:benchmarks/target/lib/*' \
 *     dev.promptedge.benchmarks.Report [--card CARD] [--out DIR] [--work DIR] [--quick]
 * }</pre>
 *
 * {@code --quick} runs every measurement once on both engines with tiny iteration counts,
 * in-process, on the micro backbone: for the smoke test, not for numbers.
 */
public final class Report {

  private Report() {}

  /** Options of one run. */
  record Options(Optional<Path> card, Path work, Path out, boolean quick, String command) {}

  public static void main(String[] args) throws Exception {
    System.setProperty("java.awt.headless", "true");
    Optional<Path> card = Optional.empty();
    Path out = Path.of("benchmarks", "results");
    Path work = Path.of("benchmarks", "target", "bench-work");
    boolean quick = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--card" -> card = Optional.of(Path.of(value(args, ++i)));
        case "--out" -> out = Path.of(value(args, ++i));
        case "--work" -> work = Path.of(value(args, ++i));
        case "--quick" -> quick = true;
        default -> {
          System.err.println(
              "usage: Report [--card CARD.card.textproto] [--out DIR] [--work DIR] [--quick]");
          System.exit(2);
        }
      }
    }
    String command =
        System.getProperty(
            "promptedge.bench.command", "benchmarks/run.sh " + String.join(" ", args));
    Path report = run(new Options(card, work, out, quick, command.strip()));
    System.out.println("wrote " + report);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("Report: " + args[i - 1] + " needs a value");
      System.exit(2);
    }
    return args[i];
  }

  /** Runs everything and returns the path of the written report. */
  static Path run(Options options) throws Exception {
    long start = System.nanoTime();
    String system = SystemInfo.describe();
    Workbench bench =
        WorkbenchSetup.prepare(
            options.work().toAbsolutePath(),
            options.card(),
            options.quick()
                ? dev.promptedge.tools.graph.VitSpec.micro(false)
                : WorkbenchSetup.demoSpec(),
            options.quick() ? 2 : 16,
            line -> System.out.println("setup: " + line));
    String work = bench.dir().toString();
    List<RunResult> results = new ArrayList<>();
    Map<String, List<String>> all = Map.of();
    results.addAll(jmh(options, work, SwapBenchmark.class, all, 2, 1000, 3, 2000));
    results.addAll(jmh(options, work, NewInterpreterBenchmark.class, all, 2, 1000, 3, 2000));
    results.addAll(jmh(options, work, InstallBenchmark.class, all, 1, 1000, 3, 2000));
    // XNNPACK is a TFLite delegate: ONNX Runtime runs with it "on" only, not twice the same way.
    Map<String, List<String>> tflite = Map.of("engine", List.of("tflite"));
    Map<String, List<String>> ort =
        Map.of("engine", List.of("onnxruntime"), "xnnpack", List.of("true"));
    results.addAll(jmh(options, work, InferenceBenchmark.class, tflite, 1, 1000, 2, 1000));
    results.addAll(jmh(options, work, InferenceBenchmark.class, ort, 1, 1000, 2, 1000));
    results.addAll(jmh(options, work, BatchBenchmark.class, all, 1, 1000, 3, 1000));
    results.addAll(jmh(options, work, LoadBenchmark.class, all, 1, 1000, 3, 2000));

    Map<String, Memory> measured = new LinkedHashMap<>();
    MemoryProbe memory = new MemoryProbe(bench, daemonClasspath(), options.quick() ? 1 : 20);
    for (String engine : Workbench.ENGINES) {
      System.out.println("memory: daemon and task-model processes on " + engine);
      measured.put(
          engine,
          new Memory(
              memory.requests(),
              memory.daemonKib(engine, 1),
              memory.daemonKib(engine, Workbench.TASKS),
              memory.bakedKib(engine, Workbench.TASKS)));
    }

    FileTrees.deleteTree(bench.dir().resolve("scratch"));
    Files.createDirectories(options.out());
    ReportWriter writer = new ReportWriter(bench, new Stats(results), measured);
    Plots.write(writer, options.out());
    Path report = options.out().resolve("report.md");
    // The load at the end beside the one at the start: this machine may be shared.
    system += "\n- load average at the end: " + SystemInfo.loadAverage();
    Files.writeString(
        report, writer.markdown(options.command(), system, (System.nanoTime() - start) / 60e9));
    return report;
  }

  /** RSS of the three processes on one engine, in KiB, and the requests each daemon served. */
  record Memory(int requests, long daemonOne, long daemonTen, long bakedTen) {}

  /** Runs {@code benchmark} with every value of its parameters except those {@code params} sets. */
  private static Collection<RunResult> jmh(
      Options options,
      String work,
      Class<?> benchmark,
      Map<String, List<String>> params,
      int warmups,
      int warmupMillis,
      int iterations,
      int iterationMillis)
      throws RunnerException {
    ChainedOptionsBuilder builder =
        new OptionsBuilder()
            .include("^" + benchmark.getName().replace(".", "\\.") + "\\.")
            .param("work", work)
            .threads(1)
            .shouldFailOnError(true);
    for (Map.Entry<String, List<String>> p : params.entrySet()) {
      builder = builder.param(p.getKey(), p.getValue().toArray(String[]::new));
    }
    if (options.quick()) {
      builder =
          builder
              .forks(0)
              .warmupIterations(0)
              .measurementIterations(1)
              .measurementTime(TimeValue.milliseconds(100));
    } else {
      builder =
          builder
              .forks(1)
              .jvmArgsAppend("-Xmx512m", "-Djava.awt.headless=true")
              .warmupIterations(warmups)
              .warmupTime(TimeValue.milliseconds(warmupMillis))
              .measurementIterations(iterations)
              .measurementTime(TimeValue.milliseconds(iterationMillis));
    }
    return new Runner(builder.build()).run();
  }

  /**
   * The daemon's class path: the runtime jar and its libraries as {@code bin/promptedged} runs
   * them, or this JVM's class path when the runtime is not packaged (e.g. in the smoke test).
   */
  static String daemonClasspath() throws java.io.IOException {
    Path root = Path.of(System.getProperty("promptedge.root", "."));
    Path target = root.resolve("runtime").resolve("target");
    if (Files.isDirectory(target.resolve("lib"))) {
      try (Stream<Path> files = Files.list(target)) {
        Optional<Path> jar =
            files
                .filter(p -> p.getFileName().toString().matches("promptedge-runtime-.*\\.jar"))
                .findFirst();
        if (jar.isPresent()) {
          return jar.get().toAbsolutePath()
              + File.pathSeparator
              + target.resolve("lib").toAbsolutePath()
              + File.separator
              + "*";
        }
      }
    }
    return System.getProperty("java.class.path");
  }
}
