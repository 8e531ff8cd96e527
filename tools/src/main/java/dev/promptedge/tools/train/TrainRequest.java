package dev.promptedge.tools.train;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.data.SplitRule;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of {@link TrainWorkflow}: what to train on, how, and where the bundle goes. Immutable
 * value.
 *
 * @param card the backbone card the bundle is trained against
 * @param data dataset folder in the task's layout
 * @param split how to split {@code data} when it has no {@code train/} and {@code val/}
 * @param options how to train ({@link TrainOptions#task()} is the dataset's and bundle's task)
 * @param out the bundle file; curves go beside it, and in mode {@code full} the new backbone too
 * @param name the bundle's task name
 * @param version the bundle's version
 * @param scoreThreshold detection: the score threshold the bundle ships with; empty = the best-F1
 *     one on the validation split
 * @param provenance what made the bundle (command, seed, data); the workflow stamps the time and
 *     adds notes on head and prompts
 */
public record TrainRequest(
    CardFile card,
    Path data,
    SplitRule split,
    TrainOptions options,
    Path out,
    String name,
    long version,
    Optional<Float> scoreThreshold,
    Provenance provenance) {

  /** Checks that every part is there. */
  public TrainRequest {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scoreThreshold, "scoreThreshold");
    Objects.requireNonNull(provenance, "provenance");
  }
}
