package dev.promptedge.tools.importer;

import java.util.Map;

/** Finds the TF.js node whose output a converted tensor holds, with its layout. */
final class TfjsTensors {

  private TfjsTensors() {}

  /** The node output (name and value) of tensor {@code name}; the same-named node first. */
  static Map.Entry<String, TfjsValue> nodeOf(TfjsConverter.Conversion c, String name) {
    int index = c.graph().find(name);
    TfjsValue same = c.values().get(name);
    if (same != null && same.tensor == index) {
      return Map.entry(name, same);
    }
    for (Map.Entry<String, TfjsValue> e : c.values().entrySet()) {
      if (e.getValue().tensor == index && !e.getValue().isConstant()) {
        return e;
      }
    }
    throw new ImportException("tensor '" + name + "' is no TF.js node's output");
  }
}
