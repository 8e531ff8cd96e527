package dev.promptedge.tools.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Writes the training curves as PNG charts (XChart): loss per epoch and the validation metric. */
public final class Curves {

  private Curves() {}

  /**
   * Writes {@code prefix.loss.png} (train and val loss) and {@code prefix.metric.png} (the
   * validator's score) for {@code history}; returns the two paths.
   */
  public static List<Path> write(List<EpochStats> history, String metric, Path prefix)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    double[] epochs = history.stream().mapToDouble(EpochStats::epoch).toArray();
    XYChart loss = chart("Loss", "loss");
    loss.addSeries("train", epochs, history.stream().mapToDouble(EpochStats::trainLoss).toArray());
    double[] val = history.stream().mapToDouble(EpochStats::valLoss).toArray();
    if (java.util.Arrays.stream(val).allMatch(Double::isFinite)) {
      loss.addSeries("val", epochs, val);
    }
    XYChart score = chart("Validation " + metric, metric);
    double[] scores = history.stream().mapToDouble(EpochStats::score).toArray();
    score.addSeries(
        "val " + metric,
        epochs,
        java.util.Arrays.stream(scores).map(s -> Double.isFinite(s) ? s : 0).toArray());
    Path lossPng = Path.of(prefix + ".loss.png");
    Path metricPng = Path.of(prefix + ".metric.png");
    if (prefix.toAbsolutePath().getParent() != null) {
      Files.createDirectories(prefix.toAbsolutePath().getParent());
    }
    BitmapEncoder.saveBitmap(loss, lossPng.toString(), BitmapEncoder.BitmapFormat.PNG);
    BitmapEncoder.saveBitmap(score, metricPng.toString(), BitmapEncoder.BitmapFormat.PNG);
    return List.of(lossPng, metricPng);
  }

  private static XYChart chart(String title, String yTitle) {
    return new XYChartBuilder()
        .width(640)
        .height(400)
        .title(title)
        .xAxisTitle("epoch")
        .yAxisTitle(yTitle)
        .build();
  }
}
