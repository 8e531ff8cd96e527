package dev.promptedge.runtime.config;

/** A device profile cannot be used; the message names the file, the setting and what to do. */
public final class ProfileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its one-line message. */
  public ProfileException(String message) {
    super(message);
  }
}
