package dev.promptedge.runtime.backbone;

/**
 * One feature output of a backbone as its card describes it (contract v2): a float32 NHWC map [B,
 * height, width, channels] with one cell per {@code stride} input pixels. Immutable.
 *
 * @param name the signature output's name
 * @param stride input pixels per feature cell along each axis
 * @param channels channels per cell
 * @param height cells along the image height
 * @param width cells along the image width
 */
public record FeatureMap(String name, int stride, int channels, int height, int width) {

  /** Floats of one sample's features: height * width * channels. */
  public int size() {
    return height * width * channels;
  }

  /** The per-sample shape {@code [height, width, channels]}. */
  public int[] sampleShape() {
    return new int[] {height, width, channels};
  }

  /** {@code features stride 8 [4, 4, 32]}. */
  @Override
  public String toString() {
    return name + " stride " + stride + " [" + height + ", " + width + ", " + channels + "]";
  }
}
