package dev.promptedge.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns one run's measurements on both engines into the report's Markdown: the rows of {@link
 * ReportRows}, the goals side by side, the inference matrix and the load table.
 */
final class ReportWriter {

  static final String[] PRECISIONS = {"int8", "float"};
  static final String[] THREADS = {"1", "2"};
  private static final String[] XNNPACK = {"true", "false"};
  private static final String[] NO_DELEGATE = {"true"};

  private final Workbench bench;
  private final Stats stats;
  private final Map<String, Report.Memory> memory;

  /** {@code memory} holds the RSS of the processes on each engine of {@link Workbench#ENGINES}. */
  ReportWriter(Workbench bench, Stats stats, Map<String, Report.Memory> memory) {
    this.bench = bench;
    this.stats = stats;
    this.memory = memory;
  }

  Workbench bench() {
    return bench;
  }

  Stats stats() {
    return stats;
  }

  Report.Memory memory(String engine) {
    return memory.get(engine);
  }

  /**
   * The XNNPACK settings measured on {@code engine}: on and off on TFLite; ONNX Runtime has no such
   * delegate and runs once, recorded as {@code true}.
   */
  static String[] xnnpack(String engine) {
    return engine.equals("tflite") ? XNNPACK : NO_DELEGATE;
  }

  /** The JMH parameter that selects {@code engine}. */
  static Map<String, String> on(String engine) {
    return Map.of("engine", engine);
  }

  /** Swap on {@code engine} as inference sees it: {@code TaskEngine.switchTo}, no waiting. */
  Statistics swap(String engine) {
    return stats.of(SwapBenchmark.class, "swap", on(engine));
  }

  /** Swap on {@code engine} acknowledged durable: {@code TaskEngine.activate}. */
  Statistics acknowledged(String engine) {
    return stats.of(SwapBenchmark.class, "acknowledged", on(engine));
  }

  /** The swap baseline on {@code engine}: a new interpreter or session for a baked task model. */
  Statistics fresh(String engine) {
    return stats.of(NewInterpreterBenchmark.class, "create", on(engine));
  }

  /** Mean time of an inference variant (raw, runtime, engine) on {@code engine} in µs. */
  double inference(String engine, String method, String precision, String threads, String xnn) {
    return stats
        .of(
            InferenceBenchmark.class,
            method,
            Map.of("engine", engine, "precision", precision, "threads", threads, "xnnpack", xnn))
        .getMean();
  }

  /** Tail of the load test on {@code engine}: {p50, p99, max} in µs. */
  double[] load(String engine, String threads, String load) {
    Statistics s =
        stats.of(
            LoadBenchmark.class,
            "encode",
            Map.of("engine", engine, "threads", threads, "load", load));
    return new double[] {s.getPercentile(50), s.getPercentile(99), s.getMax()};
  }

  String markdown(String command, String system, double minutes) {
    List<Row> rows = ReportRows.of(this);
    StringBuilder md = new StringBuilder();
    md.append("# PromptEdge benchmarks\n\n");
    md.append("Command: `")
        .append(command)
        .append("` (")
        .append(String.format(Locale.ROOT, "%.1f", minutes))
        .append(" min)\n\n");
    md.append(system).append("\n");
    md.append("- backbone: ").append(bench.description()).append("\n");
    md.append("- engines: TFLite 2.6.2 (`tflite`) and ONNX Runtime 1.23.2 (`onnxruntime`, the")
        .append(" card's ONNX exports, int8 as QDQ), each measured in this run\n");
    md.append("- daemon-like settings: 2 threads, int8 backbone, XNNPACK on TFLite;")
        .append(" baked task models: backbone + prompt + head in one file, int8 weights")
        .append(" (dynamic range; its QDQ translation on ONNX Runtime)\n\n");
    md.append("| # | engine | measurement | baseline | measured | ratio | goal | goal met |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      md.append(row.markdown()).append('\n');
    }
    goals(md, rows);
    matrix(md);
    loadTable(md);
    md.append("\nPlots: swap.png, inference.png, memory.png, load.png\n");
    return md.toString();
  }

  /** Every row with a goal, one line per measurement with the engines side by side. */
  private static void goals(StringBuilder md, List<Row> rows) {
    Map<String, Map<String, Row>> byTopic = new LinkedHashMap<>();
    for (Row row : rows) {
      if (row.met() != null) {
        byTopic.computeIfAbsent(row.topic(), k -> new LinkedHashMap<>()).put(row.engine(), row);
      }
    }
    md.append("\n## Goals, engines side by side\n\n| # | measurement | goal |");
    for (String e : Workbench.ENGINES) {
      md.append(' ').append(e).append(" |");
    }
    md.append("\n|---|---|---|").append("---|".repeat(Workbench.ENGINES.size())).append('\n');
    for (Map<String, Row> topic : byTopic.values()) {
      Row first = topic.values().iterator().next();
      md.append("| ").append(first.id()).append(" | ").append(first.topic());
      md.append(" | ").append(first.goal()).append(" |");
      for (String e : Workbench.ENGINES) {
        Row r = topic.get(e);
        md.append(' ')
            .append(
                r == null ? "—" : r.measured() + " (" + r.ratio() + "): " + Row.verdict(r.met()))
            .append(" |");
      }
      md.append('\n');
    }
  }

  private void matrix(StringBuilder md) {
    md.append("\n## Inference, all settings (mean per image)\n\n");
    md.append(
            "| engine | backbone | threads | XNNPACK | raw | runtime | engine | runtime overhead |")
        .append(" vs tflite float/1/off raw |\n|---|---|---|---|---|---|---|---|---|\n");
    double base = inference("tflite", "raw", "float", "1", "false");
    for (String e : Workbench.ENGINES) {
      for (String p : PRECISIONS) {
        for (String t : THREADS) {
          for (String x : xnnpack(e)) {
            double raw = inference(e, "raw", p, t, x);
            double runtime = inference(e, "runtime", p, t, x);
            md.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    e,
                    p,
                    t,
                    e.equals("tflite") ? (x.equals("true") ? "on" : "off") : "—",
                    Stats.time(raw),
                    Stats.time(runtime),
                    Stats.time(inference(e, "engine", p, t, x)),
                    Stats.percent(runtime / raw - 1),
                    Stats.times(base / raw)));
          }
        }
      }
    }
  }

  private void loadTable(StringBuilder md) {
    md.append("\n## Micro ViT backbone call under load (XNNPACK on TFLite)\n\n");
    md.append("| engine | threads | other process spinning threads | p50 | p99 | max |\n")
        .append("|---|---|---|---|---|---|\n");
    for (String e : Workbench.ENGINES) {
      for (String t : THREADS) {
        for (String l : new String[] {"0", "2"}) {
          double[] v = load(e, t, l);
          md.append(
              String.format(
                  "| %s | %s | %s | %s | %s | %s |%n",
                  e, t, l, Stats.time(v[0]), Stats.time(v[1]), Stats.time(v[2])));
        }
      }
    }
  }
}
