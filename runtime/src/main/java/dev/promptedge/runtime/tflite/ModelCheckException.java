package dev.promptedge.runtime.tflite;

/**
 * A model flatbuffer was refused before any native code saw it; the message names the table,
 * tensor, operator or byte offset and what to do. {@link #reason()} says which kind of check
 * failed, so that callers can map it to their own refusal codes.
 */
public final class ModelCheckException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Which kind of check refused the model. */
  public enum Reason {
    /** The flatbuffer's offsets, vtables, vectors or strings are not in bounds. */
    MALFORMED,
    /** A schema version, operator, type or option this runtime does not run. */
    UNSUPPORTED,
    /** Tensors, buffers, operators or quantization contradict each other. */
    INCONSISTENT,
    /** The signature is not the contract. */
    SIGNATURE,
    /** The declared tensors need more memory than the cap allows. */
    TOO_LARGE
  }

  private final Reason reason;

  /** Creates the exception with its reason and one-line message. */
  public ModelCheckException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Which kind of check refused the model. */
  public Reason reason() {
    return reason;
  }
}
