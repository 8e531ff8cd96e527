package dev.promptedge.tools.quantize;

/** A model that cannot be quantized as asked; the message names the tensor or op and what to do. */
public final class QuantizationException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** An exception with one message naming what was wrong and what to do. */
  public QuantizationException(String message) {
    super(message);
  }
}
