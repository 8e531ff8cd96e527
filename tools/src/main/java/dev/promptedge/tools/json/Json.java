package dev.promptedge.tools.json;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict JSON (RFC 8259) parser into plain Java values, on Gson's strict {@link JsonReader}:
 * objects become unmodifiable {@code Map<String, Object>} in document order, arrays unmodifiable
 * {@code List<Object>}, strings {@code String}, numbers {@code Long} (integers that fit) or {@code
 * Double}, {@code true}/{@code false} {@code Boolean}, and {@code null} {@link #NULL}. Refuses
 * comments, trailing commas, duplicate keys, leading zeros, unescaped control characters, lone
 * surrogates, nesting deeper than {@value #MAX_DEPTH} and anything after the value. Stateless and
 * thread-safe.
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

  private static final String NOT_STRICT =
      "not strict JSON (RFC 8259 has no comments, trailing commas, leading zeros, single quotes,"
          + " unquoted words or a second value)";

  private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");

  private Json() {}

  /**
   * Parses one JSON value that is the whole of {@code text} (surrounding whitespace allowed).
   *
   * @throws JsonException naming the line and column of the first problem
   */
  public static Object parse(String text) {
    Json p = new Json();
    try (JsonReader in = new JsonReader(new StringReader(text))) {
      in.setStrictness(Strictness.STRICT);
      in.setNestingLimit(MAX_DEPTH + 1);
      Object value = p.value(in, 0);
      if (in.peek() != JsonToken.END_DOCUMENT) {
        throw p.error(in, "unexpected " + in.peek() + " after the end of the JSON value");
      }
      return value;
    } catch (EOFException e) {
      throw new JsonException("unexpected end of input", 1, text.length() + 1);
    } catch (IOException e) {
      throw translated(e);
    }
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

  private Object value(JsonReader in, int depth) throws IOException {
    JsonToken token = in.peek();
    switch (token) {
      case BEGIN_OBJECT:
        return object(in, depth + 1);
      case BEGIN_ARRAY:
        return array(in, depth + 1);
      case STRING:
        return checked(in, in.nextString());
      case NUMBER:
        return number(in, in.nextString());
      case BOOLEAN:
        return in.nextBoolean();
      case NULL:
        in.nextNull();
        return NULL;
      default:
        throw error(in, "unexpected " + token + ", expected a value");
    }
  }

  private Map<String, Object> object(JsonReader in, int depth) throws IOException {
    checkDepth(in, depth);
    in.beginObject();
    Map<String, Object> map = new LinkedHashMap<>();
    while (in.hasNext()) {
      String key = checked(in, in.nextName());
      if (map.containsKey(key)) {
        throw error(in, "duplicate key \"" + key + "\"");
      }
      map.put(key, value(in, depth));
    }
    in.endObject();
    return Collections.unmodifiableMap(map);
  }

  private List<Object> array(JsonReader in, int depth) throws IOException {
    checkDepth(in, depth);
    in.beginArray();
    List<Object> list = new ArrayList<>();
    while (in.hasNext()) {
      list.add(value(in, depth));
    }
    in.endArray();
    return Collections.unmodifiableList(list);
  }

  /** Gson accepts unpaired UTF-16 surrogates; RFC 8259 text is Unicode, so they are refused. */
  private String checked(JsonReader in, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw error(in, "lone surrogate U+" + String.format(Locale.ROOT, "%04X", (int) c));
      }
    }
    return s;
  }

  /** Integers that fit 18 digits as {@code Long}, everything else as a finite {@code Double}. */
  private Object number(JsonReader in, String literal) {
    boolean integral =
        literal.indexOf('.') < 0 && literal.indexOf('e') < 0 && literal.indexOf('E') < 0;
    if (integral && literal.length() <= 18) {
      return Long.parseLong(literal);
    }
    double d = Double.parseDouble(literal);
    if (Double.isInfinite(d)) {
      throw error(in, "number " + literal + " is out of range");
    }
    return d;
  }

  private void checkDepth(JsonReader in, int depth) {
    if (depth > MAX_DEPTH) {
      throw error(in, "nesting deeper than " + MAX_DEPTH + " levels");
    }
  }

  private JsonException error(JsonReader in, String problem) {
    Matcher m = POSITION.matcher(in.toString());
    return m.find()
        ? new JsonException(problem, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
        : new JsonException(problem, 1, 1);
  }

  /**
   * Gson's own refusal at the line and column it names. Its catch-all for lenient syntax tells the
   * programmer to relax the reader; the user reads what strict JSON does not allow instead.
   */
  private static JsonException translated(IOException e) {
    String message = String.valueOf(e.getMessage());
    Matcher m = POSITION.matcher(message);
    String first = message.lines().findFirst().orElse(message);
    int at = first.indexOf(" at line");
    String problem = at < 0 ? first : first.substring(0, at).strip();
    if (problem.startsWith("Use JsonReader.setStrictness")) {
      problem = NOT_STRICT;
    } else if (problem.equals("Expected name")) {
      problem = "expected a string key";
    } else if (problem.equals("Expected value")) {
      problem = "expected a value";
    }
    return m.find()
        ? new JsonException(problem, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
        : new JsonException(problem, 1, 1);
  }
}
