package dev.promptedge.tools.importer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Makes the chosen feature tensors the graph's only outputs and drops every operator they do not
 * need (decoders, heads, custom post-processing after the cut).
 */
final class CutAtFeatures {

  private CutAtFeatures() {}

  /** Cuts {@code g} at tensors {@code features} (names), in that output order. */
  static void apply(ImportGraph g, List<String> features) {
    g.outputs.clear();
    BitSet needed = new BitSet();
    for (String name : features) {
      int index = g.find(name);
      if (index < 0 || g.tensor(index).isConstant()) {
        throw new ImportException(
            "the model has no activation tensor '"
                + name
                + "'; run `promptedge backbone inspect --model FILE` for the candidate feature"
                + " tensors");
      }
      g.outputs.put(name, index);
      needed.set(index);
    }
    List<ImportGraph.Op> kept = new ArrayList<>();
    for (int i = g.ops.size() - 1; i >= 0; i--) {
      ImportGraph.Op op = g.ops.get(i);
      boolean use = false;
      for (int o : op.outputs) {
        use |= needed.get(o);
      }
      if (use) {
        kept.add(0, op);
        for (int in : op.inputs) {
          if (in >= 0) {
            needed.set(in);
          }
        }
      }
    }
    g.ops.clear();
    g.ops.addAll(kept);
    g.inputs.values().removeIf(i -> !needed.get(i));
    if (g.inputs.isEmpty()) {
      throw new ImportException(
          "the features " + features + " do not depend on the model's input; pick activations");
    }
  }
}
