package dev.promptedge.runtime.source;

import java.io.IOException;

/**
 * One frame was refused (too large, unreadable) but the stream stayed in step and goes on; the
 * source counts it and reads the next frame from the same connection.
 */
final class BadFrameException extends IOException {
  private static final long serialVersionUID = 1L;

  BadFrameException(String message) {
    super(message);
  }
}
