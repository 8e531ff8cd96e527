/**
 * Evaluation of bundles through the runtime's own inference path, so a reported metric is what the
 * device will do, and the metrics themselves: COCO box mAP ({@link
 * dev.promptedge.tools.eval.CocoDetectionEval}, matching pycocotools), segmentation mIoU and pixel
 * accuracy from a {@link dev.promptedge.tools.eval.ConfusionMatrix}, and top-1/top-5 accuracy
 * ({@link dev.promptedge.tools.eval.TopKCounter}, ranked by the runtime's classification decoder).
 * Metric accumulators are not thread-safe; their results are immutable {@link
 * dev.promptedge.tools.eval.EvalMetrics} records.
 *
 * <p>{@link dev.promptedge.tools.eval.BundleEvaluator} is the entry point for the CLI ({@code
 * promptedge eval}) and for a trainer validating each epoch; {@link
 * dev.promptedge.tools.eval.ReportWriter} writes {@code results.json}, {@code metrics.json}, {@code
 * report.md} and drawn images.
 *
 * <p>Detection score threshold: COCO mAP ranks every box, so detection bundles are installed for
 * evaluation with score threshold 0.001 and 100 boxes per image ({@link
 * dev.promptedge.tools.eval.EvalOptions}); prompt, head and self-test are unchanged. Because NMS
 * only lets higher-scoring boxes suppress lower ones, the device's result at the bundle's own
 * threshold is exactly the evaluated boxes at or above it; {@code map50_deployed} and {@code
 * map_deployed} score those.
 */
package dev.promptedge.tools.eval;
