package dev.promptedge.runtime.daemon.api;

import com.google.protobuf.ByteString;
import dev.promptedge.format.ClassScore;
import dev.promptedge.format.DetectionBox;
import dev.promptedge.format.InferResponse;
import dev.promptedge.format.InstallResponse;
import dev.promptedge.format.SegmentationMap;
import dev.promptedge.format.Timings;
import dev.promptedge.runtime.daemon.serving.QueuedResult;
import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskOutput;

/** The runtime's results as the API's messages. */
final class Responses {

  private Responses() {}

  /**
   * An inference result. {@code decode_us} covers decoding and preprocessing (letterbox and
   * normalization); {@code backbone_us} is the whole batched backbone call.
   */
  static InferResponse infer(QueuedResult queued, long decodeMicros, long totalMicros) {
    InferenceResult r = queued.result();
    return result(r, queued.queueMicros(), decodeMicros, totalMicros, true);
  }

  /**
   * One task's result; {@code decodeMicros} adds to the preprocessing, and the segmentation mask is
   * a PNG only when {@code maskPng} (pixel counts always).
   */
  static InferResponse result(
      InferenceResult r, long queueMicros, long decodeMicros, long totalMicros, boolean maskPng) {
    InferResponse.Builder b =
        InferResponse.newBuilder()
            .setFormatVersion(1)
            .setBundleName(r.bundleName())
            .setBundleVersion(r.bundleVersion())
            .setTask(r.task())
            .setImageWidth(r.imageWidth())
            .setImageHeight(r.imageHeight())
            .setTimings(
                Timings.newBuilder()
                    .setQueueUs(queueMicros)
                    .setDecodeUs(decodeMicros + r.timings().preprocessMicros())
                    .setBackboneUs(r.timings().backboneMicros())
                    .setHeadUs(r.timings().headMicros())
                    .setPostprocessUs(r.timings().postprocessMicros())
                    .setTotalUs(totalMicros));
    TaskOutput output = r.output();
    if (output instanceof TaskOutput.Detections) {
      for (Detection d : ((TaskOutput.Detections) output).boxes()) {
        b.addDetections(
            DetectionBox.newBuilder()
                .setClassId(d.classId())
                .setLabel(d.label())
                .setScore(d.score())
                .setXMin(d.box().xMin())
                .setYMin(d.box().yMin())
                .setXMax(d.box().xMax())
                .setYMax(d.box().yMax()));
      }
    } else if (output instanceof TaskOutput.Segmentation) {
      b.setSegmentation(segmentation(((TaskOutput.Segmentation) output).mask(), maskPng));
    } else if (output instanceof TaskOutput.Classes) {
      for (ClassProbability c : ((TaskOutput.Classes) output).top()) {
        b.addClasses(
            ClassScore.newBuilder()
                .setClassId(c.classId())
                .setLabel(c.label())
                .setProbability(c.probability()));
      }
    }
    return b.build();
  }

  private static SegmentationMap segmentation(SegmentationMask mask, boolean png) {
    SegmentationMap.Builder m =
        SegmentationMap.newBuilder()
            .setWidth(mask.width())
            .setHeight(mask.height())
            .addAllLabels(mask.labels());
    for (int count : mask.classPixels()) {
      m.addClassPixels(count);
    }
    if (png && mask.classCount() <= SegmentationMask.MAX_PNG_CLASSES) {
      m.setMaskPng(ByteString.copyFrom(mask.toPng()));
    }
    return m.build();
  }

  static InstallResponse install(InstallResult result) {
    return InstallResponse.newBuilder()
        .setFormatVersion(1)
        .setName(result.name())
        .setVersion(result.version())
        .setUnchanged(result.unchanged())
        .setActive(result.active())
        .build();
  }
}
