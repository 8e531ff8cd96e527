package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.TransposeOptionsT;

/**
 * Converts a {@link TfjsModel} into an NHWC float {@link ImportGraph} of TFLite builtins: constant
 * sub-graphs are folded, Transpose nodes only change the tracked layout (a TRANSPOSE is emitted
 * only where an op needs another one), and each op is rewritten by {@link TfjsOps}. Ops it does not
 * know become CUSTOM placeholders named {@code tfjs:OP}, so inspection can list them and a cut can
 * drop them. Batch 1; {@link DynamicBatch} frees it later.
 */
final class TfjsConverter {

  /**
   * The converted graph and, for every TF.js node output ({@code name} or {@code name:k}), its
   * tensor index and layout.
   */
  record Conversion(ImportGraph graph, Map<String, TfjsValue> values) {

    /** The TF.js output names that are graph tensors, in conversion order. */
    List<String> tensorNames() {
      List<String> names = new ArrayList<>();
      values.forEach(
          (k, v) -> {
            if (!v.isConstant() && !v.isUnknown()) {
              names.add(k);
            }
          });
      return names;
    }
  }

  final TfjsModel model;
  final ImportGraph graph = new ImportGraph();
  final Map<String, TfjsValue> values = new LinkedHashMap<>();
  final Map<String, Integer> consumers = new HashMap<>();

  /** Convolutions (by output tensor) whose bias a following Add may still take. */
  final Map<Integer, ImportGraph.Op> foldableBias = new HashMap<>();

  final int inputHeight;
  final int inputWidth;

  /** Logical shapes at the model's own input size, to recompute resize sizes; null there. */
  final Map<String, int[]> nativeShapes;

  private TfjsConverter(TfjsModel model, int h, int w, Map<String, int[]> nativeShapes) {
    this.model = model;
    this.inputHeight = h;
    this.inputWidth = w;
    this.nativeShapes = nativeShapes;
  }

  /** Converts at the model's own input size. */
  static Conversion convert(TfjsModel model) {
    return new TfjsConverter(model, 0, 0, null).run();
  }

  /**
   * Converts with the pixel input resized to {@code h}×{@code w}; resize sizes computed for the
   * model's own size are recomputed with the same scale factors.
   */
  static Conversion convert(TfjsModel model, int h, int w) {
    Conversion own = convert(model);
    Map<String, int[]> shapes = new HashMap<>();
    own.values().forEach((k, v) -> shapes.put(k, v.shape));
    return new TfjsConverter(model, h, w, shapes).run();
  }

  private Conversion run() {
    List<TfjsModel.Node> order = topological(model.nodes());
    for (TfjsModel.Node n : order) {
      for (String in : n.inputs()) {
        consumers.merge(base(in), 1, Integer::sum);
      }
    }
    for (TfjsModel.Node n : order) {
      TfjsOps.convert(this, n);
    }
    for (TfjsModel.Node n : order) {
      TfjsValue v = values.get(n.name());
      if (!consumers.containsKey(n.name()) && v != null && !v.isConstant()) {
        graph.outputs.put(n.name(), v.tensor);
      }
    }
    if (graph.inputs.isEmpty()) {
      throw new ImportException("model.json has no Placeholder node; it has no input to convert");
    }
    if (graph.outputs.isEmpty()) {
      throw new ImportException("model.json computes nothing from its input (no output node)");
    }
    return new Conversion(graph, values);
  }

  /** The value of node input {@code ref} ({@code name} or {@code name:k}). */
  TfjsValue value(String ref, TfjsModel.Node reader) {
    String key = ref.endsWith(":0") ? ref.substring(0, ref.length() - 2) : ref;
    TfjsValue v = values.get(key);
    if (v == null) {
      throw new ImportException(
          "node '"
              + reader.name()
              + "' ("
              + reader.op()
              + ") reads '"
              + ref
              + "', which no node of model.json produces; the model.json is incomplete");
    }
    return v;
  }

  /** Makes a tensor value's physical layout {@code target}, emitting a TRANSPOSE if needed. */
  TfjsValue layout(TfjsValue v, int[] target, String name) {
    if (Arrays.equals(v.perm, target)) {
      return v;
    }
    int[] q = new int[target.length];
    for (int i = 0; i < q.length; i++) {
      q[i] = Arrays4.indexOf(v.perm, target[i]);
    }
    int out = graph.activation(name + "/layout", Arrays4.permute(v.shape, target));
    graph.op(
        BuiltinOperator.TRANSPOSE,
        BuiltinOptions.TransposeOptions,
        new TransposeOptionsT(),
        new int[] {v.tensor, graph.vector(name + "/layout_perm", q)},
        out);
    return TfjsValue.tensor(out, v.shape, target);
  }

  /** Physical layout of logical NHWC (the layout convolutions and pooling run in). */
  TfjsValue nhwc(TfjsValue v, String name) {
    return layout(v, Arrays4.identity(v.rank()), name);
  }

  /** A constant broadcast to {@code rank} and laid out like {@code like}, as a graph tensor. */
  int constantLike(TfjsValue c, TfjsValue like, String name) {
    int[] shape = Arrays4.padLeft(c.shape, like.rank());
    float[] values = c.floats();
    float[] physical = RowMajor.transpose(values, shape, like.perm);
    return graph.constant(name, Arrays4.permute(shape, like.perm), physical);
  }

  int consumersOf(String node) {
    return consumers.getOrDefault(node, 0);
  }

  static String base(String ref) {
    int colon = ref.lastIndexOf(':');
    return colon > 0 ? ref.substring(0, colon) : ref;
  }

  private static List<TfjsModel.Node> topological(List<TfjsModel.Node> nodes) {
    Map<String, TfjsModel.Node> byName = new HashMap<>();
    for (TfjsModel.Node n : nodes) {
      if (byName.put(n.name(), n) != null) {
        throw new ImportException("model.json has two nodes named '" + n.name() + "'");
      }
    }
    List<TfjsModel.Node> order = new ArrayList<>();
    Set<String> done = new HashSet<>();
    Set<String> active = new HashSet<>();
    for (TfjsModel.Node n : nodes) {
      visit(n, byName, done, active, order);
    }
    return order;
  }

  private static void visit(
      TfjsModel.Node start,
      Map<String, TfjsModel.Node> byName,
      Set<String> done,
      Set<String> active,
      List<TfjsModel.Node> order) {
    // Iterative depth-first search: real graphs are deeper than the default thread stack allows.
    List<TfjsModel.Node> stack = new ArrayList<>();
    List<Integer> next = new ArrayList<>();
    if (done.contains(start.name())) {
      return;
    }
    stack.add(start);
    next.add(0);
    active.add(start.name());
    while (!stack.isEmpty()) {
      int top = stack.size() - 1;
      TfjsModel.Node n = stack.get(top);
      int i = next.get(top);
      if (i < n.inputs().size()) {
        next.set(top, i + 1);
        String dep = base(n.inputs().get(i));
        TfjsModel.Node d = byName.get(dep);
        if (d == null || done.contains(dep)) {
          continue; // a missing producer is reported when the reader is converted
        }
        if (!active.add(dep)) {
          throw new ImportException(
              "model.json has a cycle through node '" + dep + "'; a graph model is acyclic");
        }
        stack.add(d);
        next.add(0);
      } else {
        stack.remove(top);
        next.remove(top);
        active.remove(n.name());
        done.add(n.name());
        order.add(n);
      }
    }
  }
}
