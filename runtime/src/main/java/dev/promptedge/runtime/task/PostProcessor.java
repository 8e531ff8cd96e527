package dev.promptedge.runtime.task;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.bundle.BundleException;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.head.ClassificationDecoder;
import dev.promptedge.runtime.head.DetectionDecoder;
import dev.promptedge.runtime.head.SegmentationDecoder;
import dev.promptedge.runtime.image.Letterbox;
import java.util.List;

/** Turns one image's head output into a {@link TaskOutput}, as the bundle's task kind says. */
@FunctionalInterface
interface PostProcessor {

  /** Decodes {@code headOutput} for an image placed into the model input by {@code letterbox}. */
  TaskOutput decode(float[] headOutput, Letterbox letterbox);

  /**
   * The post-processor of a checked bundle on {@code card}'s backbone; per-cell outputs live on the
   * grid of the first feature output the head reads.
   *
   * @throws BundleException when the bundle's parameters are unusable
   */
  static PostProcessor of(PromptBundle bundle, CardFile card) {
    List<String> labels = bundle.getLabelsList();
    FeatureMap first =
        card.featureOutput(BundleInputs.headFeatures(bundle).get(0))
            .orElseThrow(
                () -> new BundleException("head_features", "the head reads an unknown feature"));
    int gridH = first.height();
    int gridW = first.width();
    int patch = first.stride();
    var params = bundle.getPostProcessing();
    try {
      return switch (bundle.getTask()) {
        case DETECTION -> {
          var decoder =
              DetectionDecoder.fromParams(params.getDetection(), labels, gridH, gridW, patch);
          yield (out, box) -> new TaskOutput.Detections(decoder.decode(out, box));
        }
        case SEGMENTATION -> {
          var decoder =
              SegmentationDecoder.fromParams(params.getSegmentation(), labels, gridH, gridW, patch);
          yield (out, box) -> new TaskOutput.Segmentation(decoder.decode(out, box));
        }
        case CLASSIFICATION -> {
          var decoder = ClassificationDecoder.fromParams(params.getClassification(), labels);
          yield (out, box) -> new TaskOutput.Classes(decoder.decode(out));
        }
        default ->
            throw new BundleException(
                "unknown_task_kind", "no post-processing for task kind " + bundle.getTask());
      };
    } catch (IllegalArgumentException e) {
      throw new BundleException(
          "post_processing",
          "bundle '"
              + bundle.getName()
              + "' v"
              + bundle.getVersion()
              + " has unusable post-processing parameters: "
              + e.getMessage());
    }
  }
}
