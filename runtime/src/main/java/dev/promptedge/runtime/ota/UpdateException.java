package dev.promptedge.runtime.ota;

/**
 * An update was refused. The message names what was wrong and what to do; {@link #code()} is a
 * stable reason for APIs and metrics: {@code signature}, {@code format}, {@code rollback}, {@code
 * expired}, {@code clock_ahead}, {@code mix_and_match}, {@code too_large}, {@code slow_retrieval},
 * {@code download}, {@code bundle_hash}, {@code bundle_mismatch}, {@code state}.
 */
final class UpdateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String code;

  /** Creates the exception with its reason code and one-line message. */
  UpdateException(String code, String message) {
    super(message);
    this.code = code;
  }

  /** Stable reason, e.g. {@code "signature"} or {@code "expired"}. */
  String code() {
    return code;
  }
}
