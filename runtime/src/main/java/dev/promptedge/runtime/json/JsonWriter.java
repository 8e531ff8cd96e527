package dev.promptedge.runtime.json;

import java.util.Locale;

/** JSON string and number literals. */
final class JsonWriter {

  private JsonWriter() {}

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  static void number(StringBuilder out, double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      string(out, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      out.append((long) v);
    } else {
      out.append((float) v == v ? Float.toString((float) v) : Double.toString(v));
    }
  }
}
