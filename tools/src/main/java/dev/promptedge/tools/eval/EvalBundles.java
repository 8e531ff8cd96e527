package dev.promptedge.tools.eval;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.format.SignedBundle;
import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.bundle.Bundle;
import dev.promptedge.runtime.bundle.BundleReader;

/**
 * The bundle bytes an evaluation installs. A detection bundle gets its post-processing score
 * threshold and detection cap replaced (COCO mAP ranks every box down to a low score; the device's
 * threshold would cut the curve short); everything the device computes before post-processing
 * (prompt, head, self-test) is unchanged, and the device's NMS keeps the same boxes above its own
 * threshold, so the deployed result is the evaluated one filtered by score. The copy is unsigned
 * and exists only inside the evaluation's temporary store. Other task kinds are installed as they
 * are.
 */
final class EvalBundles {

  private EvalBundles() {}

  static byte[] forEvaluation(Bundle bundle, EvalOptions options) {
    PromptBundle b = bundle.bundle();
    if (b.getTask() != TaskKind.DETECTION) {
      return bundle.toBytes();
    }
    PromptBundle.Builder copy = b.toBuilder();
    copy.getPostProcessingBuilder()
        .getDetectionBuilder()
        .setScoreThreshold(options.scoreThreshold())
        .setMaxDetections(options.maxDetections());
    return SignedBundle.newBuilder()
        .setFormatVersion(BundleReader.ENVELOPE_VERSION)
        .setBundle(copy.build().toByteString())
        .build()
        .toByteArray();
  }
}
