package dev.promptedge.runtime.image;

/**
 * What an image's header says, read before any pixel is decoded.
 *
 * @param format "PNG" or "JPEG"
 * @param width width in pixels, at least 1
 * @param height height in pixels, at least 1
 */
public record ImageHeader(String format, int width, int height) {

  /** Width times height. */
  public long pixels() {
    return (long) width * height;
  }
}
