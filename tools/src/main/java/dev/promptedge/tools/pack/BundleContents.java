package dev.promptedge.tools.pack;

import dev.promptedge.format.PostProcessing;
import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.Provenance;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.bundle.BundleInputs;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that goes into a bundle before the packer adds its self-test expectations.
 *
 * @param name task name
 * @param task task kind
 * @param version bundle version, greater than any earlier bundle of the same name
 * @param labels class names in head output order
 * @param prompts prompt values by prompt input name of the card, row-major; an input left out gets
 *     its kind's identity on the device
 * @param head head flatbuffer
 * @param headFeatures the card's feature outputs the head reads, in the head's input order
 * @param postProcessing post-processing parameters for the task kind
 * @param selfTestPng PNG image for the self-test
 * @param metrics metrics measured by evaluation (may be empty)
 * @param provenance how the bundle was made
 */
public record BundleContents(
    String name,
    TaskKind task,
    long version,
    List<String> labels,
    Map<String, float[]> prompts,
    byte[] head,
    List<String> headFeatures,
    PostProcessing postProcessing,
    byte[] selfTestPng,
    Map<String, Double> metrics,
    Provenance provenance) {

  public BundleContents {
    labels = List.copyOf(labels);
    Map<String, float[]> copy = new LinkedHashMap<>();
    prompts.forEach((k, v) -> copy.put(k, v.clone()));
    prompts = Collections.unmodifiableMap(copy);
    head = head.clone();
    headFeatures = List.copyOf(headFeatures);
    selfTestPng = selfTestPng.clone();
    metrics = Map.copyOf(metrics);
  }

  /** What {@code bundle} holds, its self-test expectations left out (packing measures them). */
  public static BundleContents of(PromptBundle bundle) {
    return new BundleContents(
        bundle.getName(),
        bundle.getTask(),
        bundle.getVersion(),
        bundle.getLabelsList(),
        BundleInputs.prompts(bundle),
        bundle.getHead().toByteArray(),
        BundleInputs.headFeatures(bundle),
        bundle.getPostProcessing(),
        bundle.getSelfTest().getInputPng().toByteArray(),
        bundle.getMetricsMap(),
        bundle.getProvenance());
  }

  /** These contents with another provenance. */
  public BundleContents withProvenance(Provenance newProvenance) {
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts,
        head,
        headFeatures,
        postProcessing,
        selfTestPng,
        metrics,
        newProvenance);
  }

  /** These contents with another head flatbuffer. */
  public BundleContents withHead(byte[] newHead) {
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts,
        newHead,
        headFeatures,
        postProcessing,
        selfTestPng,
        metrics,
        provenance);
  }

  /** These contents with a head reading other feature outputs of the card, in its input order. */
  public BundleContents withHeadFeatures(List<String> features) {
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts,
        head,
        features,
        postProcessing,
        selfTestPng,
        metrics,
        provenance);
  }

  /** These contents with another self-test image. */
  public BundleContents withSelfTestPng(byte[] png) {
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts,
        head,
        headFeatures,
        postProcessing,
        png,
        metrics,
        provenance);
  }

  /** These contents with other post-processing parameters and metrics (e.g. a tuned threshold). */
  public BundleContents withPostProcessing(PostProcessing post, Map<String, Double> newMetrics) {
    return new BundleContents(
        name,
        task,
        version,
        labels,
        prompts,
        head,
        headFeatures,
        post,
        selfTestPng,
        newMetrics,
        provenance);
  }

  /** The usual post-processing of {@code task} with {@code classes} labels. */
  public static PostProcessing defaultPostProcessing(TaskKind task, int classes) {
    PostProcessing.Builder p = PostProcessing.newBuilder();
    switch (task) {
      case DETECTION ->
          p.getDetectionBuilder()
              .setScoreThreshold(0.3f)
              .setIouThreshold(0.5f)
              .setMaxDetections(100);
      case SEGMENTATION -> p.getSegmentationBuilder().setBackgroundClass(0);
      case CLASSIFICATION -> p.getClassificationBuilder().setTopK(Math.min(5, classes));
      default -> throw new IllegalArgumentException("no post-processing for task " + task);
    }
    return p.build();
  }
}
