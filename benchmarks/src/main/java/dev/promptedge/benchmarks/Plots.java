package dev.promptedge.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.openjdk.jmh.util.Statistics;

/** The report's PNG plots, drawn with XChart from the same numbers as the table. */
final class Plots {

  private Plots() {}

  static void write(ReportWriter writer, Path dir) throws IOException {
    Statistics swap = writer.stats().of(SwapBenchmark.class, "activate");
    Statistics fresh = writer.stats().of(NewInterpreterBenchmark.class, "create");
    CategoryChart swapChart = chart("Task swap: activate vs new interpreter", "µs");
    swapChart.addSeries(
        "activate resident bundle",
        List.of("p50", "p99"),
        List.of(swap.getPercentile(50), swap.getPercentile(99)));
    swapChart.addSeries(
        "new interpreter, baked model",
        List.of("p50", "p99"),
        List.of(fresh.getPercentile(50), fresh.getPercentile(99)));
    save(swapChart, dir.resolve("swap.png"));

    CategoryChart inference = chart("Inference per image", "µs");
    List<String> settings = new ArrayList<>();
    for (String p : ReportWriter.PRECISIONS) {
      for (String t : ReportWriter.THREADS) {
        for (String x : ReportWriter.XNNPACK) {
          settings.add(p + "/" + t + "t/" + (x.equals("true") ? "xnn" : "no-xnn"));
        }
      }
    }
    for (String method : new String[] {"raw", "runtime", "engine"}) {
      List<Double> values = new ArrayList<>();
      for (String p : ReportWriter.PRECISIONS) {
        for (String t : ReportWriter.THREADS) {
          for (String x : ReportWriter.XNNPACK) {
            values.add(writer.inference(method, p, t, x));
          }
        }
      }
      inference.addSeries(method, settings, values);
    }
    inference.getStyler().setXAxisLabelRotation(45);
    save(inference, dir.resolve("inference.png"));

    Report.Memory m = writer.memory();
    CategoryChart memory = chart("Resident set size after warm-up", "MiB");
    memory.addSeries(
        "VmRSS",
        List.of("daemon, 1 task", "daemon, 10 tasks", "10 baked models"),
        List.of(m.daemonOne() / 1024.0, m.daemonTen() / 1024.0, m.bakedTen() / 1024.0));
    save(memory, dir.resolve("memory.png"));

    CategoryChart load = chart("Micro ViT call, XNNPACK, under load", "µs");
    List<String> cases = List.of("1t idle", "1t loaded", "2t idle", "2t loaded");
    for (int k = 0; k < 3; k++) {
      List<Double> values = new ArrayList<>();
      for (String t : ReportWriter.THREADS) {
        for (String l : new String[] {"0", "2"}) {
          values.add(writer.load(t, l)[k]);
        }
      }
      load.addSeries(new String[] {"p50", "p99", "max"}[k], cases, values);
    }
    save(load, dir.resolve("load.png"));
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
