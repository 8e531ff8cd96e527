package dev.promptedge.tools.train;

import dev.promptedge.format.Provenance;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One run of {@link PretrainWorkflow}. Immutable value.
 *
 * @param data segmentation scenes with {@code train/} and {@code val/}
 * @param out folder the shallow and the deep demo ViT go to
 * @param seed seed of the weights and the order
 * @param batch images per step
 * @param learningRate peak learning rate
 * @param steps exact optimizer steps; 0 = as many as {@code minutes} allow
 * @param minutes time budget of the training loop
 * @param provenance command and tool; the workflow adds the data and stamps the time per card
 */
public record PretrainRequest(
    Path data,
    Path out,
    long seed,
    int batch,
    float learningRate,
    long steps,
    double minutes,
    Provenance provenance) {

  /** Checks that every part is there. */
  public PretrainRequest {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(provenance, "provenance");
  }
}
