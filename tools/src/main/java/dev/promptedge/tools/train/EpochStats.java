package dev.promptedge.tools.train;

/**
 * One finished epoch.
 *
 * @param epoch 1-based epoch number
 * @param trainLoss mean training loss over the epoch's steps
 * @param valLoss mean loss on the validation split (NaN without one)
 * @param score the validator's score on the validation split (NaN without one)
 * @param seconds wall time of the epoch including validation
 */
public record EpochStats(
    int epoch, double trainLoss, double valLoss, double score, double seconds) {}
