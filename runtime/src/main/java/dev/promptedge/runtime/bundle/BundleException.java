package dev.promptedge.runtime.bundle;

/**
 * A bundle was refused. The message names what was wrong and what to do; {@link #code()} is a
 * stable machine-readable reason for APIs and metrics.
 */
public final class BundleException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  /** Creates the exception with its reason code and one-line message. */
  public BundleException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Stable reason, e.g. {@code "wrong_backbone"} or {@code "corrupt"}. */
  public String code() {
    return code;
  }
}
