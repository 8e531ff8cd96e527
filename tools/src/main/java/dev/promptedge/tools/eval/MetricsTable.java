package dev.promptedge.tools.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats metrics as Markdown tables for the terminal and {@code report.md}. Stateless. */
public final class MetricsTable {

  private MetricsTable() {}

  /** A number with 4 decimals, or {@code n/a} for NaN. */
  public static String number(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  /** The headline table (metric, value) followed by the per-class table. */
  public static String of(EvalMetrics metrics) {
    List<List<String>> summary = new ArrayList<>();
    for (Map.Entry<String, Double> e : metrics.summary().entrySet()) {
      summary.add(List.of(e.getKey(), number(e.getValue())));
    }
    return table(List.of("metric", "value"), summary)
        + "\n"
        + table(metrics.perClassHeader(), metrics.perClassRows());
  }

  /** A Markdown table with aligned columns. */
  public static String table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < header.size(); i++) {
      width[i] = Math.max(3, header.get(i).length());
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(sb, rule, width);
    for (List<String> row : rows) {
      line(sb, row, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    sb.append('|');
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      sb.append(' ').append(cell).append(" ".repeat(width[i] - cell.length())).append(" |");
    }
    sb.append('\n');
  }
}
