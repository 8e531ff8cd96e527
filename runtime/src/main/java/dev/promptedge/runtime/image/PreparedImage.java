package dev.promptedge.runtime.image;

import java.util.Objects;

/**
 * One image ready for the backbone: {@code pixels} is {@code [H, W, 3]} row-major RGB, normalized,
 * and {@code letterbox} maps results back to the original image. The array is owned by whoever
 * holds this record and is not copied; do not share it across threads while writing to it.
 *
 * @param pixels normalized model input, {@code H * W * 3} floats
 * @param letterbox the transform from the original image into the model input
 */
public record PreparedImage(float[] pixels, Letterbox letterbox) {

  /** Checks that both parts are present and the array matches the letterbox's model size. */
  public PreparedImage {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(letterbox, "letterbox");
    long expected = 3L * letterbox.dstWidth() * letterbox.dstHeight();
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixels has " + pixels.length + " floats, the letterbox's model input needs " + expected);
    }
  }
}
