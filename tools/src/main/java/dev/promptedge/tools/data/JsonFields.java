package dev.promptedge.tools.data;

import dev.promptedge.tools.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON, failing with a {@link DatasetException} naming file and path. */
final class JsonFields {

  private final Path file;

  JsonFields(Path file) {
    this.file = file;
  }

  DatasetException error(String where, String problem) {
    return new DatasetException(file, where + ": " + problem);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> object(Object v, String where) {
    if (!(v instanceof Map)) {
      throw error(where, "expected an object, got " + describe(v));
    }
    return (Map<String, Object>) v;
  }

  @SuppressWarnings("unchecked")
  List<Object> array(Object v, String where) {
    if (!(v instanceof List)) {
      throw error(where, "expected an array, got " + describe(v));
    }
    return (List<Object>) v;
  }

  Object required(Map<String, Object> o, String key, String where) {
    Object v = o.get(key);
    if (v == null) {
      throw error(where, "missing \"" + key + "\"");
    }
    return v;
  }

  long integer(Object v, String where) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return d.longValue();
    }
    throw error(where, "expected an integer, got " + describe(v));
  }

  double number(Object v, String where) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw error(where, "expected a number, got " + describe(v));
  }

  String string(Object v, String where) {
    if (v instanceof String s) {
      return s;
    }
    throw error(where, "expected a string, got " + describe(v));
  }

  double[] numbers(Object v, String where) {
    List<Object> list = array(v, where);
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(list.get(i), where + "[" + i + "]");
    }
    return out;
  }

  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    String type = Json.typeName(v);
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      String s = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
      return "the " + type + " " + (s.length() > 40 ? s.substring(0, 40) + "..." : s);
    }
    return type.equals("null") ? "null" : "an " + type;
  }
}
