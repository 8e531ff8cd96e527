package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One run of {@link QuantizeWorkflow}. Immutable apart from the prompt arrays, which the caller
 * hands over.
 *
 * @param card the backbone card whose float model is quantized and which records the result
 * @param precision {@link Precision#INT8_DYNAMIC} or {@link Precision#INT8_FULL}
 * @param calibrationDir images for calibration, the last fifth (at most {@code heldOut}) held out
 *     for the drift check; empty = seeded synthetic images
 * @param calibrationCount calibration images used at most
 * @param heldOut held-out images for the drift check at most
 * @param percentile activation range percentile, 100 = min/max
 * @param promptStd std of the random calibration prompts
 * @param trainedPrompts the prompts of bundles made for {@code card}, which calibration and drift
 *     cycle through; empty = random prompts only
 * @param trainedFrom the file names of those bundles, for the card's note
 * @param seed seed of synthetic images and prompts
 * @param config threads and XNNPACK of calibration and drift
 * @param keepFloat full integer only: builtin op codes kept float32
 * @param command the command line, for the card's note
 * @param tool the tool and version, for the card's note
 */
public record QuantizeRequest(
    CardFile card,
    Precision precision,
    Optional<Path> calibrationDir,
    int calibrationCount,
    int heldOut,
    double percentile,
    float promptStd,
    List<Map<String, float[]>> trainedPrompts,
    List<String> trainedFrom,
    long seed,
    InterpreterConfig config,
    Set<Integer> keepFloat,
    String command,
    String tool) {

  /** Checks the precision and that every part is there; copies the lists. */
  public QuantizeRequest {
    Objects.requireNonNull(card, "card");
    if (precision != Precision.INT8_DYNAMIC && precision != Precision.INT8_FULL) {
      throw new IllegalArgumentException("precision must be INT8_DYNAMIC or INT8_FULL");
    }
    Objects.requireNonNull(calibrationDir, "calibrationDir");
    trainedPrompts = List.copyOf(trainedPrompts);
    trainedFrom = List.copyOf(trainedFrom);
    Objects.requireNonNull(config, "config");
    keepFloat = Set.copyOf(keepFloat);
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(tool, "tool");
  }
}
