package dev.promptedge.benchmarks;

/**
 * One line of the report: what was measured, the baseline measured in the same run and the
 * measurement (absolute values), their ratio, the goal and whether it was met ({@code null}: no
 * goal).
 */
record Row(
    String id,
    String measurement,
    String baseline,
    String measured,
    String ratio,
    String goal,
    Boolean met) {

  /** The row as a Markdown table line. */
  String markdown() {
    String verdict = met == null ? "—" : met ? "yes" : "**no**";
    return "| "
        + String.join(" | ", id, measurement, baseline, measured, ratio, goal, verdict)
        + " |";
  }
}
