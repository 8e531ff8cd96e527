package dev.promptedge.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read as systemd does for the keys tests look at: sections, {@code key=value}
 * lines (a key given twice keeps every value), backslash continuations, {@code #} comments.
 *
 * @param values every value of each {@code Section.Key}, in file order
 */
record SystemdUnit(Map<String, List<String>> values) {

  static SystemdUnit read(Path file) throws IOException {
    Map<String, List<String>> values = new LinkedHashMap<>();
    String section = "";
    String pending = "";
    for (String raw : Files.readAllLines(file)) {
      String line = pending + raw.strip();
      pending = "";
      if (line.endsWith("\\")) {
        pending = line.substring(0, line.length() - 1) + " ";
        continue;
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1);
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(file + ": not a key=value line: " + line);
      }
      values
          .computeIfAbsent(section + "." + line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return new SystemdUnit(values);
  }

  /** The one value of {@code key} ({@code Section.Key}); fails when it is absent or repeated. */
  String one(String key) {
    List<String> v = values.getOrDefault(key, List.of());
    if (v.size() != 1) {
      throw new AssertionError(key + " has " + v.size() + " values: " + v);
    }
    return v.get(0);
  }

  /** {@code Service.ExecStart} split into the program and its arguments (no quoting used). */
  List<String> execStart() {
    return Arrays.asList(one("Service.ExecStart").split("\\s+"));
  }
}
