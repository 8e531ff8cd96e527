package dev.promptedge.tools.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser into plain Java values: objects become unmodifiable {@code
 * Map<String, Object>} in document order, arrays unmodifiable {@code List<Object>}, strings {@code
 * String}, numbers {@code Long} (integers that fit) or {@code Double}, {@code true}/{@code false}
 * {@code Boolean}, and {@code null} {@link #NULL}. Refuses comments, trailing commas, duplicate
 * keys, leading zeros, unescaped control characters, lone surrogates, nesting deeper than {@value
 * #MAX_DEPTH} and anything after the value. Stateless and thread-safe.
 */
public final class Json {

  /** The value of a JSON {@code null} (a map or list cannot hold Java {@code null}). */
  public static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_DEPTH = 512;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value that is the whole of {@code text} (surrounding whitespace allowed).
   *
   * @throws JsonException naming the line and column of the first problem
   */
  public static Object parse(String text) {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos < text.length()) {
      throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
    }
    return value;
  }

  /** A short name of a parsed value's JSON type: object, array, string, number, boolean, null. */
  public static String typeName(Object value) {
    if (value instanceof Map) {
      return "object";
    } else if (value instanceof List) {
      return "array";
    } else if (value instanceof String) {
      return "string";
    } else if (value instanceof Number) {
      return "number";
    } else if (value instanceof Boolean) {
      return "boolean";
    }
    return "null";
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", NULL);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + describeHere() + ", expected a value");
    }
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(map);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeHere() + ", expected a string key");
      }
      int keyPos = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth);
      if (map.putIfAbsent(key, v) != null) {
        pos = keyPos;
        throw error("duplicate key \"" + key + "\"");
      }
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      } else if (c != ',') {
        pos--;
        throw error("unexpected " + describeHere() + ", expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++; // [
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(list);
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(list);
      } else if (c != ',') {
        pos--;
        throw error("unexpected " + describeHere() + ", expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder sb = null;
    int start = pos;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
        pos++;
        return s;
      } else if (c < 0x20) {
        throw error("unescaped control character U+" + hex4(c) + " in a string");
      } else if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder();
        }
        sb.append(text, start, pos);
        pos++;
        escape(sb);
        start = pos;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && pos + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(pos + 1))) {
          pos += 2;
        } else {
          throw error("lone surrogate U+" + hex4(c) + " in a string");
        }
      } else {
        pos++;
      }
    }
  }

  private void escape(StringBuilder sb) {
    if (pos >= text.length()) {
      throw error("unterminated string");
    }
    char e = text.charAt(pos++);
    switch (e) {
      case '"', '\\', '/' -> sb.append(e);
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> {
        char u = hexChar();
        if (Character.isHighSurrogate(u)) {
          if (!text.startsWith("\\u", pos)) {
            throw error("lone surrogate \\u" + hex4(u) + " in a string");
          }
          pos += 2;
          char low = hexChar();
          if (!Character.isLowSurrogate(low)) {
            throw error("lone surrogate \\u" + hex4(u) + " in a string");
          }
          sb.append(u).append(low);
        } else if (Character.isLowSurrogate(u)) {
          throw error("lone surrogate \\u" + hex4(u) + " in a string");
        } else {
          sb.append(u);
        }
      }
      default -> {
        pos--;
        throw error("invalid escape \\" + e + " in a string");
      }
    }
  }

  private char hexChar() {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape: expected 4 hex digits");
      }
      v = v << 4 | d;
    }
    pos += 4;
    return (char) v;
  }

  private Object number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zero in a number");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("expected a digit in a number");
    }
    boolean integral = true;
    if (peek() == '.') {
      integral = false;
      pos++;
      if (!isDigit(peek())) {
        throw error("expected a digit after the decimal point");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("expected a digit in the exponent");
      }
      digits();
    }
    String s = text.substring(start, pos);
    if (integral && s.length() <= 18) {
      return Long.parseLong(s);
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw error("number " + s + " is out of range");
    }
    return d;
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describeHere() + ", expected a value");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("unexpected " + describeHere() + ", expected '" + c + "'");
    }
    pos++;
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeHere() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    return c < 0x20 || c > 0x7E ? "character U+" + hex4(c) : "'" + c + "'";
  }

  private static String hex4(char c) {
    return String.format(java.util.Locale.ROOT, "%04X", (int) c);
  }

  private JsonException error(String problem) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(pos, text.length());
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonException(problem, line, end - lineStart + 1);
  }
}
