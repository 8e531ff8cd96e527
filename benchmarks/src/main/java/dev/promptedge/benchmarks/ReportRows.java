package dev.promptedge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.openjdk.jmh.util.Statistics;

/**
 * The rows of the report's main table, each measurement once per engine where it applies (TFLite's
 * XNNPACK rows on TFLite only), the engines' rows of one measurement next to each other.
 */
final class ReportRows {

  private static final String TFLITE = "tflite";

  private final ReportWriter m;
  private final List<Row> rows = new ArrayList<>();

  private ReportRows(ReportWriter measurements) {
    this.m = measurements;
  }

  /** Every row of the table, built from {@code measurements}. */
  static List<Row> of(ReportWriter measurements) {
    ReportRows r = new ReportRows(measurements);
    r.swapAndInstall();
    r.inference();
    r.batchMemoryAndSize();
    r.load();
    return r.rows;
  }

  /** Adds the row {@code row} makes for each engine, in {@link Workbench#ENGINES}' order. */
  private void each(Function<String, Row> row) {
    for (String e : Workbench.ENGINES) {
      rows.add(row.apply(e));
    }
  }

  /** What builds the swap baseline on {@code engine}: a TFLite interpreter or an ORT session. */
  static String noun(String engine) {
    return engine.equals(TFLITE) ? "interpreter" : "session";
  }

  /** The daemon-like settings on {@code engine}: 2 threads, and XNNPACK on TFLite. */
  private static String daemonLike(String engine) {
    return engine.equals(TFLITE) ? "2 threads, XNNPACK" : "2 threads";
  }

  private void swapAndInstall() {
    each(
        e -> {
          Statistics swap = m.swap(e);
          Statistics fresh = m.fresh(e);
          double p50Ratio = fresh.getPercentile(50) / swap.getPercentile(50);
          return new Row(
              "1",
              e,
              "swap p50",
              "Swap p50, as inference sees it: `TaskEngine.switchTo` (resident bundle; `ACTIVE`"
                  + " is written after it returns, by the engine's writer thread) vs new "
                  + noun(e)
                  + " for a baked task model",
              Stats.time(fresh.getPercentile(50)),
              Stats.time(swap.getPercentile(50)),
              Stats.times(p50Ratio) + " faster",
              "≥ 100×",
              p50Ratio >= 100);
        });
    each(
        e -> {
          Statistics swap = m.swap(e);
          Statistics fresh = m.fresh(e);
          return new Row(
              "1",
              e,
              "swap p99",
              "Swap p99 (same two runs)",
              Stats.time(fresh.getPercentile(99)),
              Stats.time(swap.getPercentile(99)),
              Stats.times(fresh.getPercentile(99) / swap.getPercentile(99)) + " faster",
              "p99 < 1 ms",
              swap.getPercentile(99) < 1000);
        });
    each(
        e -> {
          Statistics acknowledged = m.acknowledged(e);
          Statistics fresh = m.fresh(e);
          return new Row(
              "1",
              e,
              "swap acknowledged durable p50",
              "Swap acknowledged durable p50 (p99 "
                  + Stats.time(acknowledged.getPercentile(99))
                  + "): `TaskEngine.activate` = the switch + the wait for the fsynced `ACTIVE`"
                  + " (what `PUT /v1/tasks/active` answers on), vs new "
                  + noun(e),
              Stats.time(fresh.getPercentile(50)),
              Stats.time(acknowledged.getPercentile(50)),
              Stats.times(fresh.getPercentile(50) / acknowledged.getPercentile(50)) + " faster",
              "—",
              null);
        });
    each(
        e -> {
          Statistics install = m.stats().of(InstallBenchmark.class, "install", store(e, "disk"));
          Statistics fresh = m.fresh(e);
          return new Row(
              "2",
              e,
              "cold install p50",
              "Cold install p50 (p99 "
                  + Stats.time(install.getPercentile(99))
                  + "): Ed25519 verify + parse + head "
                  + noun(e)
                  + " + self-test + store, vs new baked "
                  + noun(e),
              Stats.time(fresh.getPercentile(50)),
              Stats.time(install.getPercentile(50)),
              Stats.times(install.getPercentile(50) / fresh.getPercentile(50)) + " the baseline",
              "< 20 ms",
              install.getPercentile(50) < 20_000);
        });
    each(
        e -> {
          Statistics disk = m.stats().of(InstallBenchmark.class, "install", store(e, "disk"));
          Statistics tmpfs = m.stats().of(InstallBenchmark.class, "install", store(e, "tmpfs"));
          return new Row(
              "2",
              e,
              "cold install p50, store on tmpfs",
              "Cold install p50 with the store on tmpfs (`/dev/shm`, where fsync costs nothing; p99 "
                  + Stats.time(tmpfs.getPercentile(99))
                  + ") vs on this disk: the share of the two durable writes",
              "disk " + Stats.time(disk.getPercentile(50)),
              "tmpfs " + Stats.time(tmpfs.getPercentile(50)),
              Stats.times(disk.getPercentile(50) / tmpfs.getPercentile(50)) + " faster",
              "—",
              null);
        });
  }

  private static Map<String, String> store(String engine, String store) {
    return Map.of("engine", engine, "store", store);
  }

  private void inference() {
    each(
        e ->
            faster(
                e,
                "int8 vs float",
                "Inference, raw " + noun(e) + ", " + daemonLike(e) + ": int8 vs float backbone",
                "float",
                m.inference(e, "raw", "float", "2", "true"),
                "int8",
                m.inference(e, "raw", "int8", "2", "true")));
    // The goal compares each side at its faster thread count: on a shared 2-core machine a second
    // thread can cost more than it brings, and which one does differs from run to run.
    Fastest floatTflite = fastest(TFLITE, "float");
    each(
        e -> {
          Fastest int8 = fastest(e, "int8");
          return faster(
                  e,
                  "int8 vs float TFLite + XNNPACK",
                  "Inference, raw, faster of 1 and 2 threads: int8 on this engine vs float on TFLite"
                      + " with XNNPACK",
                  "tflite float, " + floatTflite.threads() + " thread(s),",
                  floatTflite.micros(),
                  e + " int8, " + int8.threads() + " thread(s),",
                  int8.micros())
              .withGoal("≥ 1× (fastest engine)", int8.micros() <= floatTflite.micros());
        });
    each(
        e ->
            faster(
                e,
                "2 threads vs 1",
                "Inference, int8" + (e.equals(TFLITE) ? ", XNNPACK" : "") + ": 2 threads vs 1",
                "1 thread",
                m.inference(e, "raw", "int8", "1", "true"),
                "2 threads",
                m.inference(e, "raw", "int8", "2", "true")));
    for (String precision : ReportWriter.PRECISIONS) {
      rows.add(
          faster(
              TFLITE,
              precision + " XNNPACK",
              "Inference, " + precision + ", 2 threads: XNNPACK on vs off",
              "off",
              m.inference(TFLITE, "raw", precision, "2", "false"),
              "on",
              m.inference(TFLITE, "raw", precision, "2", "true")));
    }
    each(
        e ->
            overhead(
                e,
                "runtime overhead",
                "Runtime overhead (int8, "
                    + daemonLike(e)
                    + "): `Backbone.encode` + `HeadModel.run` vs raw "
                    + (e.equals(TFLITE) ? "`Interpreter`" : "`OrtSession`")
                    + " with pre-filled buffers",
                "runtime",
                m.inference(e, "runtime", "int8", "2", "true")));
    for (String e : Workbench.ENGINES) {
      worstOverhead(e);
    }
    each(
        e ->
            overhead(
                e,
                "TaskEngine.infer overhead",
                "`TaskEngine.infer` (adds letterbox + normalize of the image, post-processing) vs"
                    + " raw",
                "engine",
                m.inference(e, "engine", "int8", "2", "true")));
  }

  /** The mean raw time of {@code precision} on {@code engine} at its faster thread count. */
  record Fastest(String threads, double micros) {}

  private Fastest fastest(String engine, String precision) {
    Fastest best = null;
    for (String t : ReportWriter.THREADS) {
      double micros = m.inference(engine, "raw", precision, t, "true");
      if (best == null || micros < best.micros()) {
        best = new Fastest(t, micros);
      }
    }
    return best;
  }

  /** A row 3 without a goal: {@code measured} µs against {@code base} µs, as "N× faster". */
  private static Row faster(
      String e,
      String topic,
      String measurement,
      String baseLabel,
      double base,
      String label,
      double measured) {
    return new Row(
        "3",
        e,
        topic,
        measurement,
        baseLabel + " " + Stats.time(base),
        label + " " + Stats.time(measured),
        Stats.times(base / measured) + " faster",
        "—",
        null);
  }

  /** A row 3 of the ≤ +5 % goal: {@code measured} µs against raw int8 at 2 threads. */
  private Row overhead(String e, String topic, String measurement, String label, double measured) {
    double raw = m.inference(e, "raw", "int8", "2", "true");
    return new Row(
        "3",
        e,
        topic,
        measurement,
        "raw " + Stats.time(raw),
        label + " " + Stats.time(measured),
        Stats.percent(measured / raw - 1),
        "≤ +5 %",
        measured / raw - 1 <= 0.05);
  }

  private void worstOverhead(String e) {
    double worst = Double.NEGATIVE_INFINITY;
    String worstAt = "";
    int settings = 0;
    for (String p : ReportWriter.PRECISIONS) {
      for (String t : ReportWriter.THREADS) {
        for (String x : ReportWriter.xnnpack(e)) {
          settings++;
          double o = m.inference(e, "runtime", p, t, x) / m.inference(e, "raw", p, t, x) - 1;
          if (o > worst) {
            worst = o;
            worstAt =
                p
                    + ", "
                    + t
                    + " thread(s)"
                    + (e.equals(TFLITE) ? ", XNNPACK " + (x.equals("true") ? "on" : "off") : "");
          }
        }
      }
    }
    rows.add(
        new Row(
            "3",
            e,
            "worst runtime overhead",
            "Runtime overhead, worst of the " + settings + " settings (" + worstAt + ")",
            "raw",
            "runtime",
            Stats.percent(worst),
            "≤ +5 %",
            worst <= 0.05));
  }

  private void batchMemoryAndSize() {
    each(
        e -> {
          double batched =
              m.stats().of(BatchBenchmark.class, "batched", ReportWriter.on(e)).getMean();
          double sequential =
              m.stats().of(BatchBenchmark.class, "sequential", ReportWriter.on(e)).getMean();
          return new Row(
              "4",
              e,
              "mixed batch of 4",
              "Mixed batch of 4 (2 detection + 2 segmentation tasks), throughput vs 4 sequential"
                  + " requests",
              "4 sequential " + Stats.time(sequential),
              "batch of 4 " + Stats.time(batched),
              Stats.times(sequential / batched),
              "≥ 1.5×",
              sequential / batched >= 1.5);
        });
    each(
        e -> {
          Report.Memory memory = m.memory(e);
          return new Row(
              "5",
              e,
              "daemon RSS 10 tasks vs 1",
              "Daemon RSS, 10 installed tasks vs 1 (`promptedged`, int8, `engine: "
                  + e
                  + "`, each after the same "
                  + memory.requests()
                  + " inference requests)",
              "1 task " + Stats.mib(memory.daemonOne()),
              "10 tasks " + Stats.mib(memory.daemonTen()),
              Stats.times((double) memory.daemonTen() / memory.daemonOne()),
              "≤ 1.1×",
              memory.daemonTen() <= 1.1 * memory.daemonOne());
        });
    each(
        e -> {
          Report.Memory memory = m.memory(e);
          return new Row(
              "5",
              e,
              "baked models RSS",
              "10 baked task models in 10 " + noun(e) + "s (own JVM) vs the daemon with 10 tasks",
              "daemon " + Stats.mib(memory.daemonTen()),
              "10 models " + Stats.mib(memory.bakedTen()),
              Stats.times((double) memory.bakedTen() / memory.daemonTen()),
              "—",
              null);
        });
    long largest = largestBundle();
    each(
        e -> {
          long backbone =
              e.equals(TFLITE)
                  ? m.bench().card().card().getQuantizedModel().getSizeBytes()
                  : m.bench().card().card().getOnnxQuantizedModel().getSizeBytes();
          return new Row(
              "6",
              e,
              "largest bundle vs int8 backbone",
              "Largest signed bundle (one file for both engines) vs this engine's int8 backbone file",
              "backbone " + backbone + " B",
              "bundle " + largest + " B",
              String.format(Locale.ROOT, "%.2f %%", 100.0 * largest / backbone),
              "≤ 1 %",
              largest <= 0.01 * backbone);
        });
  }

  private long largestBundle() {
    long largest = 0;
    for (int i = 0; i < Workbench.TASKS; i++) {
      largest = Math.max(largest, m.bench().signedBundle(i).length);
    }
    return largest;
  }

  private void load() {
    each(
        e -> {
          double[] loadedOne = m.load(e, "1", "2");
          double[] loadedTwo = m.load(e, "2", "2");
          return new Row(
              "7",
              e,
              "threads under load",
              "Micro ViT"
                  + (e.equals(TFLITE) ? ", XNNPACK" : "")
                  + ", 2 spinning threads of another process: p99 with 2 "
                  + noun(e)
                  + " threads vs 1 (max "
                  + Stats.time(loadedTwo[2])
                  + " vs "
                  + Stats.time(loadedOne[2])
                  + ")",
              "1 thread " + Stats.time(loadedOne[1]),
              "2 threads " + Stats.time(loadedTwo[1]),
              Stats.times(loadedTwo[1] / loadedOne[1]),
              "—",
              null);
        });
  }
}
