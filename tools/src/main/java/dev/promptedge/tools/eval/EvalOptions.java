package dev.promptedge.tools.eval;

/**
 * How an {@link BundleEvaluator} runs. Immutable value.
 *
 * @param batchSize images per {@code TaskEngine.infer} call, at least 1
 * @param limit most images evaluated (the first ones of the split), 0 for all
 * @param scoreThreshold detection: the score threshold eval installs the bundle with (COCO mAP
 *     needs low-scoring boxes too); the bundle's own threshold is measured as well, by filtering
 * @param maxDetections detection: the most boxes per image eval installs the bundle with
 */
public record EvalOptions(int batchSize, int limit, float scoreThreshold, int maxDetections) {

  /** COCO's usual evaluation settings: score threshold 0.001, 100 detections per image. */
  public static final float COCO_SCORE_THRESHOLD = 0.001f;

  /** Checks the ranges. */
  public EvalOptions {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be 0 (all) or positive, got " + limit);
    }
    if (!(scoreThreshold >= 0f && scoreThreshold <= 1f)) {
      throw new IllegalArgumentException("score threshold must be in 0..1, got " + scoreThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("max detections must be at least 1, got " + maxDetections);
    }
  }

  /** Batches of 8, every image, score threshold 0.001, 100 detections. */
  public static EvalOptions defaults() {
    return new EvalOptions(8, 0, COCO_SCORE_THRESHOLD, 100);
  }
}
