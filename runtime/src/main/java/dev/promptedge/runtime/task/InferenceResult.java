package dev.promptedge.runtime.task;

import dev.promptedge.format.TaskKind;

/**
 * What one inference produced, named by the bundle that produced it. Immutable apart from the raw
 * head output array, which the caller owns.
 *
 * @param bundleName task name of the bundle that ran
 * @param bundleVersion version of that bundle
 * @param task the bundle's task kind
 * @param imageWidth width of the original image, in pixels
 * @param imageHeight height of the original image, in pixels
 * @param output the post-processed result, in original image coordinates
 * @param headOutput the head's raw output for this image, laid out as the task kind says
 * @param timings where the time went
 */
public record InferenceResult(
    String bundleName,
    long bundleVersion,
    TaskKind task,
    int imageWidth,
    int imageHeight,
    TaskOutput output,
    float[] headOutput,
    StageTimings timings) {}
