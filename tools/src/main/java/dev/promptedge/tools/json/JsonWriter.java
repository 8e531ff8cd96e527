package dev.promptedge.tools.json;

import java.util.List;
import java.util.Map;

/**
 * Writes plain Java values as JSON, the inverse of {@link Json#parse}: {@code Map} (string keys, in
 * iteration order), {@code List}, {@code String}, integral {@code Number}s, finite {@code Double}
 * and {@code Float}, {@code Boolean}, {@link Json#NULL} or Java {@code null}. The output depends
 * only on the value (no locale, no clock), so equal values give equal bytes. Stateless.
 */
public final class JsonWriter {

  private JsonWriter() {}

  /** Compact JSON for {@code value}, no whitespace. */
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(value, sb);
    return sb.toString();
  }

  /** Appends compact JSON for {@code value} to {@code sb}. */
  public static void write(Object value, StringBuilder sb) {
    if (value == null || value == Json.NULL) {
      sb.append("null");
    } else if (value instanceof String s) {
      string(s, sb);
    } else if (value instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("JSON has no representation for " + d);
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        sb.append((long) d);
      } else {
        sb.append(value instanceof Float ? Float.toString((Float) value) : Double.toString(d));
      }
    } else if (value instanceof Number n) {
      sb.append(n.longValue());
    } else if (value instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(String.valueOf(e.getKey()), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        write(list.get(i), sb);
      }
      sb.append(']');
    } else if (value instanceof int[] ints) {
      sb.append('[');
      for (int i = 0; i < ints.length; i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(ints[i]);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException(
          "cannot write a " + value.getClass().getName() + " as JSON");
    }
  }

  private static void string(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
