package dev.promptedge.runtime.image;

/**
 * The bytes given to {@link ImageDecoder} are not an image the runtime accepts: empty, not a JPEG
 * or PNG, truncated or corrupt, or too large. Unchecked (a bad request, like any other {@link
 * IllegalArgumentException}); the message says what was wrong in one sentence.
 */
public final class ImageDecodeException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message meant for the person who sent the image. */
  public ImageDecodeException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the reader failure that caused it. */
  public ImageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
