package dev.promptedge.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The report's PNG plots, drawn with XChart from the same numbers as the table, both engines. */
final class Plots {

  private Plots() {}

  static void write(ReportWriter writer, Path dir) throws IOException {
    CategoryChart swapChart = chart("Task swap: activate vs new interpreter or session", "µs");
    List<String> percentiles = new ArrayList<>();
    List<Double> swaps = new ArrayList<>();
    List<Double> acknowledged = new ArrayList<>();
    List<Double> fresh = new ArrayList<>();
    for (String e : Workbench.ENGINES) {
      for (int p : new int[] {50, 99}) {
        percentiles.add(e + " p" + p);
        swaps.add(writer.swap(e).getPercentile(p));
        acknowledged.add(writer.acknowledged(e).getPercentile(p));
        fresh.add(writer.fresh(e).getPercentile(p));
      }
    }
    swapChart.addSeries("switch to resident bundle (what inference sees)", percentiles, swaps);
    swapChart.addSeries("switch + durable acknowledgement", percentiles, acknowledged);
    swapChart.addSeries("new interpreter or session, baked model", percentiles, fresh);
    save(swapChart, dir.resolve("swap.png"));

    CategoryChart inference = chart("Inference per image", "µs");
    for (String method : new String[] {"raw", "runtime", "engine"}) {
      List<String> settings = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (String e : Workbench.ENGINES) {
        for (String p : ReportWriter.PRECISIONS) {
          for (String t : ReportWriter.THREADS) {
            for (String x : ReportWriter.xnnpack(e)) {
              settings.add(label(e, p, t, x));
              values.add(writer.inference(e, method, p, t, x));
            }
          }
        }
      }
      inference.addSeries(method, settings, values);
    }
    inference.getStyler().setXAxisLabelRotation(45);
    save(inference, dir.resolve("inference.png"));

    CategoryChart memory = chart("Resident set size after warm-up", "MiB");
    List<String> processes = List.of("daemon, 1 task", "daemon, 10 tasks", "10 baked models");
    for (String e : Workbench.ENGINES) {
      Report.Memory m = writer.memory(e);
      memory.addSeries(
          e,
          processes,
          List.of(m.daemonOne() / 1024.0, m.daemonTen() / 1024.0, m.bakedTen() / 1024.0));
    }
    save(memory, dir.resolve("memory.png"));

    CategoryChart load = chart("Micro ViT call under load (XNNPACK on TFLite)", "µs");
    for (int k = 0; k < 3; k++) {
      List<String> cases = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      for (String e : Workbench.ENGINES) {
        for (String t : ReportWriter.THREADS) {
          for (String l : new String[] {"0", "2"}) {
            cases.add(e + " " + t + "t " + (l.equals("0") ? "idle" : "loaded"));
            values.add(writer.load(e, t, l)[k]);
          }
        }
      }
      load.addSeries(new String[] {"p50", "p99", "max"}[k], cases, values);
    }
    load.getStyler().setXAxisLabelRotation(45);
    save(load, dir.resolve("load.png"));
  }

  private static String label(String engine, String precision, String threads, String xnnpack) {
    String delegate = engine.equals("tflite") ? (xnnpack.equals("true") ? "/xnn" : "/no-xnn") : "";
    return engine + " " + precision + "/" + threads + "t" + delegate;
  }

  private static CategoryChart chart(String title, String yTitle) {
    CategoryChart chart =
        new CategoryChartBuilder().width(800).height(500).title(title).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendVisible(true);
    return chart;
  }

  private static void save(CategoryChart chart, Path file) throws IOException {
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
