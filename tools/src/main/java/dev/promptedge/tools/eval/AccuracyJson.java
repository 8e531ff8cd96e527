package dev.promptedge.tools.eval;

import dev.promptedge.tools.eval.AccuracyTable.Entry;
import dev.promptedge.tools.eval.AccuracyTable.Measured;
import dev.promptedge.tools.json.Json;
import dev.promptedge.tools.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the rows of an accuracy table's JSON form ({@link AccuracyTable#json()}) back into its
 * entries, one per task and bundle, in the order they first appear.
 */
final class AccuracyJson {

  private AccuracyJson() {}

  /** The entries of {@code file}; {@link IllegalArgumentException} names the first bad row. */
  static List<Entry> entries(Path file) throws IOException {
    Object parsed;
    try {
      parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonException e) {
      throw notTable(file, e.getMessage());
    }
    if (!(parsed instanceof Map<?, ?> root) || !(root.get("rows") instanceof List<?> rows)) {
      throw notTable(file, "no array 'rows'");
    }
    Map<String, Entry> byBundle = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!(rows.get(i) instanceof Map<?, ?> row)) {
        throw notTable(file, "row " + i + " is not an object");
      }
      Row r = new Row(file, i, row);
      String task = r.string("task");
      if (!AccuracyTable.COLUMNS.containsKey(task)) {
        throw notTable(file, "row " + i + " has the unknown task '" + task + "'");
      }
      String name = r.string("bundle");
      String precision = r.string("precision");
      if (!precision.equals("float") && !precision.equals("int8")) {
        throw notTable(file, "row " + i + " has the precision '" + precision + "'");
      }
      Entry e =
          byBundle.computeIfAbsent(
              task + "/" + name,
              k ->
                  new Entry(
                      task,
                      name,
                      r.string("mode"),
                      r.string("head"),
                      r.string("prompts"),
                      r.get("trainable_values") instanceof Long n ? n : null,
                      r.whole("bundle_bytes"),
                      r.whole("bytes_per_task"),
                      null,
                      new LinkedHashMap<>()));
      Measured m =
          e.runs()
              .computeIfAbsent(
                  precision,
                  p ->
                      new Measured(
                          p, r.whole("backbone_bytes"), r.whole("images"), new LinkedHashMap<>()));
      if (!(r.get("value") instanceof Number value)) {
        throw notTable(file, "row " + i + " has no number 'value'");
      }
      m.metrics().put(r.string("metric"), value.doubleValue());
    }
    List<Entry> entries = new ArrayList<>();
    for (Entry e : byBundle.values()) {
      Measured sized = e.runs().getOrDefault("int8", e.runs().values().iterator().next());
      entries.add(
          new Entry(
              e.task(),
              e.name(),
              e.mode(),
              e.head(),
              e.prompts(),
              e.trainable(),
              e.bundleBytes(),
              e.bytesPerTask(),
              sized,
              e.runs()));
    }
    return entries;
  }

  /** One row of the file, with its position for error messages. */
  private record Row(Path file, int index, Map<?, ?> values) {
    Object get(String key) {
      return values.get(key);
    }

    String string(String key) {
      if (values.get(key) instanceof String s) {
        return s;
      }
      throw notTable(file, "row " + index + " has no string '" + key + "'");
    }

    long whole(String key) {
      if (values.get(key) instanceof Long n) {
        return n;
      }
      throw notTable(file, "row " + index + " has no whole number '" + key + "'");
    }
  }

  private static IllegalArgumentException notTable(Path file, String problem) {
    return new IllegalArgumentException(
        file
            + " is not an accuracy table's JSON ("
            + problem
            + "); pass a file written by 'promptedge compare --json FILE'");
  }
}
