/**
 * Post-processing of the task heads' outputs into results: detection decode with class-wise NMS
 * ({@link dev.promptedge.runtime.head.DetectionDecoder}), segmentation upsampling and argmax
 * ({@link dev.promptedge.runtime.head.SegmentationDecoder}), and classification softmax/top-k
 * ({@link dev.promptedge.runtime.head.ClassificationDecoder}). Decoders are immutable and
 * thread-safe; results are values in original-image coordinates.
 */
package dev.promptedge.runtime.head;
