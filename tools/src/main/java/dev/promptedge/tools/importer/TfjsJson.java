package dev.promptedge.tools.importer;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Typed access to parsed {@code model.json} values and GraphDef attributes ({@code {"i": "2"}},
 * {@code {"f": 0.1}}, {@code {"s": base64}}, {@code {"list": {"i": [...]}}}); a wrong type is an
 * {@link ImportException} naming what was expected.
 */
final class TfjsJson {

  private TfjsJson() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Object value, String what) {
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw wrong(what, "an object", value);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String what) {
    if (value instanceof List<?> list) {
      return (List<Object>) list;
    }
    throw wrong(what, "an array", value);
  }

  static String string(Object value, String what) {
    if (value instanceof String s) {
      return s;
    }
    throw wrong(what, "a string", value);
  }

  static double number(Object value, String what) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw wrong(what, "a number", value);
      }
    }
    throw wrong(what, "a number", value);
  }

  static int[] ints(Object value, String what) {
    List<Object> items = list(value, what);
    int[] out = new int[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) number(items.get(i), what);
    }
    return out;
  }

  /** Integer list attribute {@code name} of a node ({@code attr.name.list.i}), or null. */
  static int[] intList(Map<String, Object> attrs, String name) {
    Object a = attrs.get(name);
    if (a == null) {
      return null;
    }
    Map<String, Object> list = object(object(a, "attr " + name).get("list"), "attr " + name);
    return list.get("i") == null ? new int[0] : ints(list.get("i"), "attr " + name);
  }

  /** String attribute {@code name} (base64 in model.json), or {@code fallback}. */
  static String text(Map<String, Object> attrs, String name, String fallback) {
    Object a = attrs.get(name);
    if (a == null) {
      return fallback;
    }
    String s = string(object(a, "attr " + name).get("s"), "attr " + name);
    try {
      return new String(Base64.getDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ImportException("attr " + name + " is not base64: '" + s + "'");
    }
  }

  static double real(Map<String, Object> attrs, String name, double fallback) {
    Object a = attrs.get(name);
    return a == null ? fallback : number(object(a, "attr " + name).get("f"), "attr " + name);
  }

  static long integer(Map<String, Object> attrs, String name, long fallback) {
    Object a = attrs.get(name);
    return a == null ? fallback : (long) number(object(a, "attr " + name).get("i"), "attr " + name);
  }

  static boolean bool(Map<String, Object> attrs, String name, boolean fallback) {
    Object a = attrs.get(name);
    if (a == null) {
      return fallback;
    }
    Object b = object(a, "attr " + name).get("b");
    return b instanceof Boolean v ? v : fallback;
  }

  private static ImportException wrong(String what, String expected, Object value) {
    return new ImportException(
        "model.json: " + what + " must be " + expected + ", got " + describe(value));
  }

  private static String describe(Object value) {
    if (value == null) {
      return "nothing";
    }
    String s = String.valueOf(value);
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
