package dev.promptedge.tools.train;

import dev.promptedge.runtime.image.Letterbox;
import dev.promptedge.tools.data.Sample;
import java.util.List;

/**
 * Scores the head outputs of the validation split once per epoch; the trainer keeps the epoch with
 * the highest score and stops early when it stops rising. Anything that turns (samples, head
 * outputs, letterboxes) into one number where higher is better plugs in here; {@link
 * MetricValidators} score with the metrics of {@code promptedge eval}. Implementations must not
 * keep references to the arrays after {@link #score} returns.
 */
public interface Validator {

  /** Short metric name, used in logs, curves and the bundle's metrics, e.g. {@code map}. */
  String metric();

  /**
   * The score of the outputs.
   *
   * @param samples the validation samples with their targets in original coordinates
   * @param outputs per sample, the head's output for its letterboxed image (row-major)
   * @param letterboxes per sample, the letterbox the runtime's preprocessor used
   */
  double score(List<? extends Sample> samples, List<float[]> outputs, List<Letterbox> letterboxes);
}
