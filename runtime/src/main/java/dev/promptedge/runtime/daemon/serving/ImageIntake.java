package dev.promptedge.runtime.daemon.serving;

import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.image.ImageHeader;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * How the daemon turns an uploaded image into a request, and what that costs in memory: the header
 * first (size checked against {@code api.max_pixels}), then a decode at the backbone's sample step,
 * so a huge image is decoded at about 4x the model input. The cost a request reserves in the {@link
 * MemoryBudget} before it decodes is {@value #DECODED_BYTES_PER_PIXEL} bytes per decoded pixel (the
 * reader's raster, up to 8 bytes for 16-bit RGBA, plus the 4-byte RGB copy) and {@value
 * #SOURCE_BYTES_PER_PIXEL} per source pixel (a progressive JPEG's coefficients in native memory, or
 * a segmentation answer's mask and its PNG at the source size). Immutable and thread-safe.
 */
public final class ImageIntake {

  static final int DECODED_BYTES_PER_PIXEL = 12;
  static final int SOURCE_BYTES_PER_PIXEL = 3;

  private final ImageDecoder decoder;
  private final Preprocessor preprocessor;

  /** Decodes with {@code decoder} for the model input of {@code preprocessor}. */
  public ImageIntake(ImageDecoder decoder, Preprocessor preprocessor) {
    this.decoder = decoder;
    this.preprocessor = preprocessor;
  }

  /** Reads the header of {@code body} and checks it against the pixel cap. */
  public ImageHeader header(byte[] body) {
    return decoder.header(body);
  }

  /** Bytes a request for an image of this header reserves before it decodes. */
  public long cost(ImageHeader header) {
    return preprocessor.sampledPixels(header.width(), header.height()) * DECODED_BYTES_PER_PIXEL
        + header.pixels() * SOURCE_BYTES_PER_PIXEL;
  }

  /** The largest {@link #cost} of an image within the pixel cap. */
  public long maxCost() {
    long max = decoder.maxPixels();
    // Decoded at its sample step, an image is at most 4 model inputs (+1 pixel) on each axis.
    long sampled = (4L * preprocessor.width() + 1) * (4L * preprocessor.height() + 1);
    return Math.min(max, sampled) * DECODED_BYTES_PER_PIXEL + max * SOURCE_BYTES_PER_PIXEL;
  }

  /** The pixel cap, {@code api.max_pixels}. */
  public long maxPixels() {
    return decoder.maxPixels();
  }

  /** Decodes {@code body}, whose header is {@code header}, into a request for {@code task}. */
  public TaskRequest request(byte[] body, ImageHeader header, Optional<String> task) {
    int step = preprocessor.sampleStep(header.width(), header.height());
    BufferedImage image = decoder.decode(body, step);
    return new TaskRequest(image, task, header.width(), header.height());
  }
}
