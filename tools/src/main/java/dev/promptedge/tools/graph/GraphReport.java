package dev.promptedge.tools.graph;

import java.util.List;
import java.util.Set;

/**
 * What {@link TfliteGraph#inspect} found: the model's signature keys, the graph (null when the
 * model could not be read or has no such signature) and every problem, one message each, that keeps
 * the host engine from running it. Immutable.
 *
 * @param signatures signature keys the model declares
 * @param graph the graph bound to the requested signature, or null
 * @param unsupportedOps names of the operators the host engine does not run, e.g. {@code EXP}
 * @param problems messages naming each unsupported operator or tensor and what to do; empty when
 *     the host engine can run the model
 */
public record GraphReport(
    List<String> signatures, TfliteGraph graph, Set<String> unsupportedOps, List<String> problems) {

  public GraphReport {
    signatures = List.copyOf(signatures);
    unsupportedOps = Set.copyOf(unsupportedOps);
    problems = List.copyOf(problems);
  }

  static GraphReport unreadable(List<String> signatures, String problem) {
    return new GraphReport(signatures, null, Set.of(), List.of(problem));
  }

  /** True when the graph was read and has no problems. */
  public boolean ok() {
    return graph != null && problems.isEmpty();
  }
}
