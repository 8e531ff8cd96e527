package dev.promptedge.benchmarks;

/**
 * One line of the report: what was measured and on which engine, the baseline measured in the same
 * run and the measurement (absolute values), their ratio, the goal and whether it was met ({@code
 * null}: no goal). {@code topic} names the measurement the same way on every engine, so that the
 * goals table can set the engines' rows side by side.
 */
record Row(
    String id,
    String engine,
    String topic,
    String measurement,
    String baseline,
    String measured,
    String ratio,
    String goal,
    Boolean met) {

  /** This row with {@code goal}, met or not. */
  Row withGoal(String goal, boolean met) {
    return new Row(id, engine, topic, measurement, baseline, measured, ratio, goal, met);
  }

  /** The row as a Markdown table line. */
  String markdown() {
    return "| "
        + String.join(" | ", id, engine, measurement, baseline, measured, ratio, goal, verdict(met))
        + " |";
  }

  /** {@code yes}, bold {@code no}, or a dash where there is no goal. */
  static String verdict(Boolean met) {
    return met == null ? "—" : met ? "yes" : "**no**";
  }
}
