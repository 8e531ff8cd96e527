package dev.promptedge.tools.data;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * One decoded image of a dataset with its targets, in original image coordinates. The image is a
 * fresh {@code TYPE_INT_RGB} from the runtime's {@link dev.promptedge.runtime.image.ImageDecoder},
 * owned by the caller.
 */
public sealed interface Sample permits DetectionSample, SegmentationSample, ClassificationSample {

  /** A name for the sample that is unique within its dataset (e.g. a file name or image id). */
  String id();

  /** The image file the sample was decoded from. */
  Path file();

  /** The decoded image, {@code TYPE_INT_RGB}. */
  BufferedImage image();
}
