package dev.promptedge.tools.json;

/**
 * Text is not strict JSON (RFC 8259): the message names the line and column (1-based) and what was
 * expected there. Unchecked, like any other malformed-input error.
 */
public final class JsonException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  /** Creates the exception for a problem at {@code line}:{@code column} (1-based). */
  public JsonException(String problem, int line, int column) {
    super("malformed JSON at line " + line + ", column " + column + ": " + problem);
    this.line = line;
    this.column = column;
  }

  /** Line of the problem, 1-based. */
  public int line() {
    return line;
  }

  /** Column of the problem, 1-based, counted in UTF-16 chars. */
  public int column() {
    return column;
  }
}
