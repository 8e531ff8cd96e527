package dev.promptedge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.util.Statistics;

/** Turns one run's measurements into the report's rows and Markdown. */
final class ReportWriter {

  static final String[] PRECISIONS = {"int8", "float"};
  static final String[] THREADS = {"1", "2"};
  static final String[] XNNPACK = {"true", "false"};

  private final Workbench bench;
  private final Stats stats;
  private final Report.Memory memory;

  ReportWriter(Workbench bench, Stats stats, Report.Memory memory) {
    this.bench = bench;
    this.stats = stats;
    this.memory = memory;
  }

  Stats stats() {
    return stats;
  }

  Report.Memory memory() {
    return memory;
  }

  /** Mean time of an inference variant (raw, runtime, engine) in µs. */
  double inference(String method, String precision, String threads, String xnnpack) {
    return stats
        .of(
            InferenceBenchmark.class,
            method,
            Map.of("precision", precision, "threads", threads, "xnnpack", xnnpack))
        .getMean();
  }

  /** Tail of the load test: {p50, p99, max} in µs. */
  double[] load(String threads, String load) {
    Statistics s =
        stats.of(LoadBenchmark.class, "encode", Map.of("threads", threads, "load", load));
    return new double[] {s.getPercentile(50), s.getPercentile(99), s.getMax()};
  }

  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    Statistics swap = stats.of(SwapBenchmark.class, "activate");
    Statistics fresh = stats.of(NewInterpreterBenchmark.class, "create");
    double p50Ratio = fresh.getPercentile(50) / swap.getPercentile(50);
    rows.add(
        new Row(
            "1",
            "Swap p50: `TaskEngine.activate` (resident bundle) vs new interpreter for a baked task model",
            Stats.time(fresh.getPercentile(50)),
            Stats.time(swap.getPercentile(50)),
            Stats.times(p50Ratio) + " faster",
            "≥ 100×",
            p50Ratio >= 100));
    rows.add(
        new Row(
            "1",
            "Swap p99 (same two runs)",
            Stats.time(fresh.getPercentile(99)),
            Stats.time(swap.getPercentile(99)),
            Stats.times(fresh.getPercentile(99) / swap.getPercentile(99)) + " faster",
            "p99 < 1 ms",
            swap.getPercentile(99) < 1000));
    Statistics install = stats.of(InstallBenchmark.class, "install");
    rows.add(
        new Row(
            "2",
            "Cold install p50 (p99 "
                + Stats.time(install.getPercentile(99))
                + "): Ed25519 verify + parse + head interpreter + self-test + store, vs new"
                + " baked interpreter",
            Stats.time(fresh.getPercentile(50)),
            Stats.time(install.getPercentile(50)),
            Stats.times(install.getPercentile(50) / fresh.getPercentile(50)) + " the baseline",
            "< 20 ms",
            install.getPercentile(50) < 20_000));
    double int8 = inference("raw", "int8", "2", "true");
    double fp32 = inference("raw", "float", "2", "true");
    rows.add(
        new Row(
            "3",
            "Inference, raw interpreter, 2 threads, XNNPACK: int8 vs float backbone",
            "float " + Stats.time(fp32),
            "int8 " + Stats.time(int8),
            Stats.times(fp32 / int8) + " faster",
            "—",
            null));
    double one = inference("raw", "int8", "1", "true");
    rows.add(
        new Row(
            "3",
            "Inference, int8, XNNPACK: 2 threads vs 1",
            "1 thread " + Stats.time(one),
            "2 threads " + Stats.time(int8),
            Stats.times(one / int8) + " faster",
            "—",
            null));
    for (String precision : PRECISIONS) {
      double off = inference("raw", precision, "2", "false");
      double on = inference("raw", precision, "2", "true");
      rows.add(
          new Row(
              "3",
              "Inference, " + precision + ", 2 threads: XNNPACK on vs off",
              "off " + Stats.time(off),
              "on " + Stats.time(on),
              Stats.times(off / on) + " faster",
              "—",
              null));
    }
    double runtime = inference("runtime", "int8", "2", "true");
    rows.add(
        new Row(
            "3",
            "Runtime overhead (int8, 2 threads, XNNPACK): `Backbone.encode` + `HeadModel.run` vs raw"
                + " `Interpreter` with pre-filled buffers",
            "raw " + Stats.time(int8),
            "runtime " + Stats.time(runtime),
            Stats.percent(runtime / int8 - 1),
            "≤ +5 %",
            runtime / int8 - 1 <= 0.05));
    double worst = Double.NEGATIVE_INFINITY;
    String worstAt = "";
    for (String p : PRECISIONS) {
      for (String t : THREADS) {
        for (String x : XNNPACK) {
          double o = inference("runtime", p, t, x) / inference("raw", p, t, x) - 1;
          if (o > worst) {
            worst = o;
            worstAt = p + ", " + t + " thread(s), XNNPACK " + (x.equals("true") ? "on" : "off");
          }
        }
      }
    }
    rows.add(
        new Row(
            "3",
            "Runtime overhead, worst of the 8 settings (" + worstAt + ")",
            "raw",
            "runtime",
            Stats.percent(worst),
            "≤ +5 %",
            worst <= 0.05));
    double engine = inference("engine", "int8", "2", "true");
    rows.add(
        new Row(
            "3",
            "`TaskEngine.infer` (adds letterbox + normalize of the image, post-processing) vs raw",
            "raw " + Stats.time(int8),
            "engine " + Stats.time(engine),
            Stats.percent(engine / int8 - 1),
            "≤ +5 %",
            engine / int8 - 1 <= 0.05));
    double batched = stats.of(BatchBenchmark.class, "batched").getMean();
    double sequential = stats.of(BatchBenchmark.class, "sequential").getMean();
    rows.add(
        new Row(
            "4",
            "Mixed batch of 4 (2 detection + 2 segmentation tasks), throughput vs 4 sequential"
                + " requests",
            "4 sequential " + Stats.time(sequential),
            "batch of 4 " + Stats.time(batched),
            Stats.times(sequential / batched),
            "≥ 1.5×",
            sequential / batched >= 1.5));
    rows.add(
        new Row(
            "5",
            "Daemon RSS, 10 installed tasks vs 1 (`promptedged`, int8, after warm-up)",
            "1 task " + Stats.mib(memory.daemonOne()),
            "10 tasks " + Stats.mib(memory.daemonTen()),
            Stats.times((double) memory.daemonTen() / memory.daemonOne()),
            "≤ 1.1×",
            memory.daemonTen() <= 1.1 * memory.daemonOne()));
    rows.add(
        new Row(
            "5",
            "10 baked task models in 10 interpreters (own JVM) vs the daemon with 10 tasks",
            "daemon " + Stats.mib(memory.daemonTen()),
            "10 models " + Stats.mib(memory.bakedTen()),
            Stats.times((double) memory.bakedTen() / memory.daemonTen()),
            "—",
            null));
    long backbone = bench.card().card().getQuantizedModel().getSizeBytes();
    long largest = 0;
    for (int i = 0; i < Workbench.TASKS; i++) {
      largest = Math.max(largest, bench.signedBundle(i).length);
    }
    rows.add(
        new Row(
            "6",
            "Largest signed bundle vs int8 backbone file",
            "backbone " + backbone + " B",
            "bundle " + largest + " B",
            String.format(Locale.ROOT, "%.2f %%", 100.0 * largest / backbone),
            "≤ 1 %",
            largest <= 0.01 * backbone));
    double[] loadedOne = load("1", "2");
    double[] loadedTwo = load("2", "2");
    rows.add(
        new Row(
            "7",
            "Micro ViT, XNNPACK, 2 spinning threads of another process: p99 with 2 interpreter"
                + " threads vs 1 (max "
                + Stats.time(loadedTwo[2])
                + " vs "
                + Stats.time(loadedOne[2])
                + ")",
            "1 thread " + Stats.time(loadedOne[1]),
            "2 threads " + Stats.time(loadedTwo[1]),
            Stats.times(loadedTwo[1] / loadedOne[1]),
            "—",
            null));
    return rows;
  }

  String markdown(String command, String system, double minutes) {
    StringBuilder md = new StringBuilder();
    md.append("# PromptEdge benchmarks\n\n");
    md.append("Command: `")
        .append(command)
        .append("` (")
        .append(String.format(Locale.ROOT, "%.1f", minutes))
        .append(" min)\n\n");
    md.append(system).append("\n");
    md.append("- backbone: ").append(bench.description()).append("\n");
    md.append("- daemon-like settings: 2 interpreter threads, XNNPACK on, int8 backbone;")
        .append(" baked task models: backbone + prompt + head in one .tflite, int8 weights")
        .append(" (dynamic range)\n\n");
    md.append("| # | measurement | baseline | measured | ratio | goal | goal met |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Row row : rows()) {
      md.append(row.markdown()).append('\n');
    }
    md.append("\n## Inference, all settings (mean per image)\n\n");
    md.append("| backbone | threads | XNNPACK | raw | runtime | engine | runtime overhead |")
        .append(" vs float/1/off raw |\n|---|---|---|---|---|---|---|---|\n");
    double base = inference("raw", "float", "1", "false");
    for (String p : PRECISIONS) {
      for (String t : THREADS) {
        for (String x : XNNPACK) {
          double raw = inference("raw", p, t, x);
          double runtime = inference("runtime", p, t, x);
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                  p,
                  t,
                  x.equals("true") ? "on" : "off",
                  Stats.time(raw),
                  Stats.time(runtime),
                  Stats.time(inference("engine", p, t, x)),
                  Stats.percent(runtime / raw - 1),
                  Stats.times(base / raw)));
        }
      }
    }
    md.append("\n## Micro ViT backbone call under load (XNNPACK on)\n\n");
    md.append("| threads | other process spinning threads | p50 | p99 | max |\n")
        .append("|---|---|---|---|---|\n");
    for (String t : THREADS) {
      for (String l : new String[] {"0", "2"}) {
        double[] v = load(t, l);
        md.append(
            String.format(
                "| %s | %s | %s | %s | %s |%n",
                t, l, Stats.time(v[0]), Stats.time(v[1]), Stats.time(v[2])));
      }
    }
    md.append("\nPlots: swap.png, inference.png, memory.png, load.png\n");
    return md.toString();
  }
}
