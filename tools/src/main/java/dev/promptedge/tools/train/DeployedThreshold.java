package dev.promptedge.tools.train;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Sample;
import dev.promptedge.tools.data.SampleSet;
import dev.promptedge.tools.eval.BundleEvaluator;
import dev.promptedge.tools.eval.EvalListener;
import dev.promptedge.tools.eval.EvalOptions;
import dev.promptedge.tools.eval.ImageResult;
import dev.promptedge.tools.eval.ScoreThreshold;
import java.util.ArrayList;
import java.util.List;

/** The score threshold a trained detection bundle ships with, chosen as the device runs it. */
final class DeployedThreshold {

  /** IoU at which a detection counts as right when the deployed threshold is chosen. */
  static final double IOU = 0.5;

  private DeployedThreshold() {}

  /** The best-F1 threshold of {@code bundle} on {@code val}, run through the runtime (float). */
  static ScoreThreshold.Choice best(
      CardFile card, Bundle bundle, SampleSet<? extends Sample> val, PostProcessing post) {
    List<ScoreThreshold.Image> images = new ArrayList<>();
    try (BundleEvaluator evaluator =
        BundleEvaluator.open(card, false, InterpreterConfig.defaults())) {
      evaluator.evaluate(
          bundle,
          val,
          EvalOptions.defaults(),
          new EvalListener() {
            @Override
            public void onImage(ImageResult r) {
              images.add(
                  ScoreThreshold.Image.of(
                      (DetectionSample) r.sample(),
                      ((TaskOutput.Detections) r.result().output()).boxes()));
            }
          });
    }
    return ScoreThreshold.best(images, IOU, post.getDetection().getScoreThreshold());
  }

  /** {@code threshold} as given, with no validation scores. */
  static ScoreThreshold.Choice given(float threshold) {
    return new ScoreThreshold.Choice(threshold, Double.NaN, Double.NaN, Double.NaN);
  }
}
