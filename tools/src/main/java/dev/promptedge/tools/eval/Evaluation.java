package dev.promptedge.tools.eval;

import dev.promptedge.format.TaskKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one {@link BundleEvaluator#evaluate} call. Immutable value.
 *
 * @param bundleName the evaluated bundle's name
 * @param bundleVersion its version
 * @param task its task kind
 * @param backboneFileSha256 SHA-256 of the backbone file (float or int8) it ran on
 * @param images images evaluated
 * @param metrics the task's metrics; for detection at the evaluation's score threshold
 * @param deployed detection only: the same images scored with the bundle's own score threshold and
 *     detection cap, i.e. what the device reports
 * @param seconds wall time of the evaluation
 */
public record Evaluation(
    String bundleName,
    long bundleVersion,
    TaskKind task,
    String backboneFileSha256,
    int images,
    EvalMetrics metrics,
    Optional<DetectionMetrics> deployed,
    double seconds) {

  /**
   * The headline numbers, e.g. for a bundle's {@code metrics} map: the task's summary plus, for
   * detection, {@code map50_deployed} and {@code map_deployed}.
   */
  public Map<String, Double> summary() {
    Map<String, Double> m = new LinkedHashMap<>(metrics.summary());
    deployed.ifPresent(
        d -> {
          m.put("map50_deployed", d.map50());
          m.put("map_deployed", d.map());
        });
    return m;
  }
}
