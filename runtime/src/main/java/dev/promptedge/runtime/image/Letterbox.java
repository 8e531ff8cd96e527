package dev.promptedge.runtime.image;

/**
 * The aspect-preserving transform from an original image of {@code srcWidth x srcHeight} into a
 * model input of {@code dstWidth x dstHeight}: {@code model = original * scale + pad}, with the
 * scaled image centred and the rest padded. Coordinates are continuous pixel coordinates (pixel
 * {@code i} covers {@code [i, i + 1)}, its centre is {@code i + 0.5}). Immutable value.
 *
 * @param srcWidth original image width, pixels
 * @param srcHeight original image height, pixels
 * @param dstWidth model input width, pixels
 * @param dstHeight model input height, pixels
 * @param scale model pixels per original pixel, on both axes
 * @param padX model-input columns left of the scaled image (may be fractional)
 * @param padY model-input rows above the scaled image (may be fractional)
 */
public record Letterbox(
    int srcWidth,
    int srcHeight,
    int dstWidth,
    int dstHeight,
    double scale,
    double padX,
    double padY) {

  /** Checks that the sizes are positive, the scale finite and positive, and the content fits. */
  public Letterbox {
    if (srcWidth < 1 || srcHeight < 1 || dstWidth < 1 || dstHeight < 1) {
      throw new IllegalArgumentException(
          "letterbox sizes must be positive: source "
              + srcWidth
              + "x"
              + srcHeight
              + ", model input "
              + dstWidth
              + "x"
              + dstHeight);
    }
    if (!(scale > 0) || Double.isInfinite(scale) || !(padX >= 0) || !(padY >= 0)) {
      throw new IllegalArgumentException(
          "letterbox needs a finite scale > 0 and padding >= 0, got scale "
              + scale
              + ", pad "
              + padX
              + ","
              + padY);
    }
    double slack = 1e-6;
    if (padX + srcWidth * scale > dstWidth + slack
        || padY + srcHeight * scale > dstHeight + slack) {
      throw new IllegalArgumentException(
          "letterbox content "
              + srcWidth * scale
              + "x"
              + srcHeight * scale
              + " at pad "
              + padX
              + ","
              + padY
              + " does not fit the model input "
              + dstWidth
              + "x"
              + dstHeight);
    }
  }

  /**
   * The letterbox that fits {@code srcWidth x srcHeight} into {@code dstWidth x dstHeight}: scale
   * {@code min(dstW / srcW, dstH / srcH)}, padding split equally on both sides.
   *
   * @throws IllegalArgumentException when a size is not positive
   */
  public static Letterbox fit(int srcWidth, int srcHeight, int dstWidth, int dstHeight) {
    double sx = (double) dstWidth / srcWidth;
    double sy = (double) dstHeight / srcHeight;
    // The limiting axis gets exactly zero padding, free of rounding in srcW * scale.
    if (sx <= sy) {
      return new Letterbox(
          srcWidth,
          srcHeight,
          dstWidth,
          dstHeight,
          sx,
          0,
          Math.max(0, (dstHeight - srcHeight * sx) / 2));
    }
    return new Letterbox(
        srcWidth,
        srcHeight,
        dstWidth,
        dstHeight,
        sy,
        Math.max(0, (dstWidth - srcWidth * sy) / 2),
        0);
  }

  /** Width of the scaled image inside the model input, in model pixels. */
  public double contentWidth() {
    return srcWidth * scale;
  }

  /** Height of the scaled image inside the model input, in model pixels. */
  public double contentHeight() {
    return srcHeight * scale;
  }

  /** Maps an original x coordinate into the model input (not clamped). */
  public double toModelX(double originalX) {
    return originalX * scale + padX;
  }

  /** Maps an original y coordinate into the model input (not clamped). */
  public double toModelY(double originalY) {
    return originalY * scale + padY;
  }

  /** Maps a model-input x coordinate back to the original image, clamped to {@code [0, srcW]}. */
  public double toOriginalX(double modelX) {
    return clamp((modelX - padX) / scale, srcWidth);
  }

  /** Maps a model-input y coordinate back to the original image, clamped to {@code [0, srcH]}. */
  public double toOriginalY(double modelY) {
    return clamp((modelY - padY) / scale, srcHeight);
  }

  /** Maps a box in model-input coordinates to original coordinates, clamped to the image. */
  public Box toOriginal(Box modelBox) {
    return new Box(
        (float) toOriginalX(modelBox.xMin()),
        (float) toOriginalY(modelBox.yMin()),
        (float) toOriginalX(modelBox.xMax()),
        (float) toOriginalY(modelBox.yMax()));
  }

  /** Maps a box in original coordinates into the model input (not clamped). */
  public Box toModel(Box originalBox) {
    return new Box(
        (float) toModelX(originalBox.xMin()),
        (float) toModelY(originalBox.yMin()),
        (float) toModelX(originalBox.xMax()),
        (float) toModelY(originalBox.yMax()));
  }

  private static double clamp(double v, int max) {
    return v < 0 ? 0 : v > max ? max : v;
  }
}
