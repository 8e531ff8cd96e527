package dev.promptedge.tools.train;

import dev.promptedge.tools.graph.HeadWeights;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a training run produced: the best epoch's prompt, head and (mode {@code full}) backbone, the
 * curves, and the head output the trained DJL graph computed for the self-test image (which the
 * device must reproduce). Immutable apart from the arrays, which the caller owns.
 *
 * @param prompts the value of every prompt input of the card that learned, by name, row-major; the
 *     others are left out (their kind's identity)
 * @param head the head's weights
 * @param headModel the head flatbuffer written by {@code HeadBuilder}
 * @param headFeatures the card's feature outputs the head reads
 * @param backboneModel mode {@code full}: the backbone flatbuffer with the trained constants
 * @param history every finished epoch, including epochs from before a resume
 * @param bestEpoch 1-based epoch whose values were kept
 * @param metric the validator's metric name
 * @param trainableParameters number of values that learned
 * @param selfTestPng the self-test image (a validation image, else a training image)
 * @param selfTestOutput the trained graph's head output for {@code selfTestPng} on the host
 */
public record TrainResult(
    Map<String, float[]> prompts,
    HeadWeights head,
    byte[] headModel,
    List<String> headFeatures,
    Optional<byte[]> backboneModel,
    List<EpochStats> history,
    int bestEpoch,
    String metric,
    long trainableParameters,
    byte[] selfTestPng,
    float[] selfTestOutput) {

  /** The kept epoch's statistics. */
  public EpochStats best() {
    return history.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElseThrow();
  }
}
