package dev.promptedge.runtime.backbone;

/** A backbone or its card cannot be used; the message names what is wrong and what to do. */
public final class BackboneException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with its one-line message. */
  public BackboneException(String message) {
    super(message);
  }
}
