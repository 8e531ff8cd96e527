package dev.promptedge.tools.importer;

/**
 * A model the importer cannot read or convert; the message names the node, op or tensor and what to
 * try instead.
 */
public final class ImportException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** An import failure explained by {@code message}. */
  public ImportException(String message) {
    super(message);
  }
}
