/**
 * Evaluation of bundles through the runtime's own inference path, so a reported metric is what the
 * device will do, and the metrics themselves: COCO box mAP ({@link
 * dev.promptedge.tools.eval.CocoDetectionEval}, matching pycocotools), segmentation mIoU and pixel
 * accuracy from a {@link dev.promptedge.tools.eval.ConfusionMatrix}, and top-1/top-5 accuracy
 * ({@link dev.promptedge.tools.eval.TopKAccuracy}, ranked by the runtime's classification decoder).
 * Metric accumulators are not thread-safe; their results are immutable {@link
 * dev.promptedge.tools.eval.EvalMetrics} records.
 */
package dev.promptedge.tools.eval;
