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
 * @param int8Ranges train against the ranges of the card's int8 model: every backbone activation is
 *     clipped where the int8 model saturates it, so prompts and head learn values the int8 device
 *     represents
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
    Provenance provenance,
    boolean int8Ranges) {

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
    if (int8Ranges && !card.card().hasQuantizedModel()) {
      throw new IllegalArgumentException(
          "--int8-ranges trains against the card's int8 model but "
              + card.card().getName()
              + " has none; run promptedge backbone quantize --card CARD first");
    }
    if (int8Ranges && options.mode() == TrainMode.FULL) {
      throw new IllegalArgumentException(
          "--int8-ranges keeps the card's int8 model's ranges, which a full fine-tune changes (it"
              + " writes a new backbone, quantized after training); drop --int8-ranges");
    }
  }
}
