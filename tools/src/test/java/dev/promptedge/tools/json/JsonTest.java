package dev.promptedge.tools.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesEveryTypeInDocumentOrder() {
    Object v =
        Json.parse(
            " {\"b\": [1, -2.5, 3e2, true, false, null], \"a\": {\"s\": \"x\\u00e9\\n\\ud83d\\ude00\"},"
                + " \"big\": 12345678901234567890} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("b", "a", "big"), List.copyOf(m.keySet()));
    assertEquals(List.of(1L, -2.5, 300.0, true, false, Json.NULL), m.get("b"));
    assertEquals("x\u00e9\n\ud83d\ude00", ((Map<?, ?>) m.get("a")).get("s"));
    assertEquals(1.2345678901234567e19, m.get("big"));
  }

  @Test
  void refusesWhatIsNotStrictJson() {
    String notStrict = "not strict JSON";
    String[][] cases = {
      {"[1,]", "line 1, column 5: " + notStrict},
      {"{\"a\":1,\"a\":2}", "duplicate key \"a\""},
      {"[01]", "line 1, column 2: " + notStrict},
      {"// c\n1", notStrict},
      {"\"a\tb\"", "Unescaped control characters"},
      {"1 2", notStrict},
      {"{\n  \"a\": tru}", "line 2, column 8"},
      {"\"\\ud800\"", "lone surrogate U+D800"},
      {"[1", "unexpected end of input"},
      {"", "unexpected end of input"},
      {"1e999", "out of range"},
      {"\"\\x\"", "Invalid escape sequence"},
    };
    for (String[] c : cases) {
      JsonException e = assertThrows(JsonException.class, () -> Json.parse(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void refusesDeepNesting() {
    String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
    assertTrue(
        assertThrows(JsonException.class, () -> Json.parse(deep)).getMessage().contains("nesting"));
    String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
    assertTrue(Json.parse(ok) instanceof List);
  }

  @Test
  void writerRoundTripsAndIsCompact() {
    String text = "{\"a\":[1,2.5,\"q\\\"\\\\\\n\\u0001\",true,null],\"b\":{}}";
    Object v = Json.parse(text);
    assertEquals(text, JsonWriter.write(v));
    assertEquals("[3,0.1]", JsonWriter.write(List.of(3.0, 0.1)));
  }
}
