package dev.promptedge.tools.eval;

import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.tools.data.Sample;

/**
 * One evaluated image: the dataset sample and what the runtime produced for it (for detection, at
 * the evaluation's score threshold). The sample's image is owned by the receiver.
 *
 * @param index position of the sample in the evaluated split
 * @param sample the sample with its ground truth
 * @param result the runtime's result, post-processed into original image coordinates
 */
public record ImageResult(int index, Sample sample, InferenceResult result) {}
