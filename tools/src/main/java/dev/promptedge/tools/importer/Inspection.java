package dev.promptedge.tools.importer;

import dev.promptedge.tools.graph.TfliteGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.TensorType;

/**
 * What {@code backbone inspect} shows about a model to import, after folding DEQUANTIZE weights:
 * its inputs and outputs, its operators (counted, each marked supported or not by the host engine)
 * and the candidate feature tensors in graph order. Immutable.
 *
 * @param inputs input name → "TYPE[shape]"
 * @param outputs output name → "TYPE[shape]"
 * @param ops operator name → count, in first-use order
 * @param unsupported operator names the host engine does not run
 * @param foldedDequantize DEQUANTIZE weights folded into float constants
 * @param candidates 4-D NHWC activations whose height and width divide the input's
 */
public record Inspection(
    Map<String, String> inputs,
    Map<String, String> outputs,
    Map<String, Integer> ops,
    Set<String> unsupported,
    int foldedDequantize,
    List<Candidate> candidates) {

  /**
   * One candidate feature tensor.
   *
   * @param name tensor name (pass it to {@code --features})
   * @param height Hf
   * @param width Wf
   * @param channels C
   * @param stride input pixels per cell
   * @param trainable true when no op the host engine cannot run comes before it
   */
  public record Candidate(
      String name, int height, int width, int channels, int stride, boolean trainable) {}

  /** Inspects {@code model} (a .tflite or a TF.js model.json). */
  public static Inspection of(Path model) {
    SourceModel source = SourceModel.read(model, 0, 0);
    ImportGraph g = source.graph();
    int folded = FoldDequantize.apply(g);
    return of(g, folded);
  }

  static Inspection of(ImportGraph g, int folded) {
    Set<String> unsupported = hostUnsupported(g);
    Map<String, Integer> ops = new LinkedHashMap<>();
    for (ImportGraph.Op op : g.ops) {
      ops.merge(op.name(), 1, Integer::sum);
    }
    int[] pixels = null;
    for (int i : g.inputs.values()) {
      int[] s = g.tensor(i).shape;
      if (s.length == 4 && s[3] == 3) {
        pixels = s;
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    BitSet tainted = new BitSet();
    for (ImportGraph.Op op : g.ops) {
      boolean bad = unsupported.contains(op.name());
      for (int in : op.inputs) {
        bad |= in >= 0 && tainted.get(in);
      }
      for (int out : op.outputs) {
        tainted.set(out, bad);
        ImportGraph.Tensor t = g.tensor(out);
        boolean helper =
            t.name.endsWith(TfjsOps.LEAKY_POSITIVE) || t.name.endsWith(TfjsOps.LEAKY_NEGATIVE);
        if (pixels != null && !helper && t.type == TensorType.FLOAT32 && t.shape.length == 4) {
          int h = t.shape[1];
          int w = t.shape[2];
          if (h > 0
              && w > 0
              && pixels[1] % h == 0
              && pixels[2] % w == 0
              && pixels[1] / h == pixels[2] / w) {
            candidates.add(new Candidate(t.name, h, w, t.shape[3], pixels[1] / h, !bad));
          }
        }
      }
    }
    return new Inspection(
        describe(g, g.inputs), describe(g, g.outputs), ops, unsupported, folded, candidates);
  }

  /** The deepest trainable candidate of stride ≥ 8 ({@code --features auto}). */
  public Candidate auto() {
    Candidate best = null;
    for (Candidate c : candidates) {
      if (c.trainable() && c.stride() >= 8) {
        best = c;
      }
    }
    if (best == null) {
      throw new ImportException(
          "no feature tensor of stride ≥ 8 comes before the first op the host engine cannot run"
              + " ("
              + unsupported
              + "); name the features with --features");
    }
    return best;
  }

  /** Operator names of {@code g} the host engine does not run. */
  static Set<String> hostUnsupported(ImportGraph g) {
    ImportGraph probe = g.copy();
    probe.outputs.clear();
    for (ImportGraph.Op op : probe.ops) {
      for (int o : op.outputs) {
        probe.outputs.putIfAbsent(probe.tensor(o).name, o);
      }
    }
    if (probe.outputs.isEmpty()) {
      probe.outputs.putAll(g.inputs);
    }
    return TfliteGraph.inspect(probe.serialize("inspect", "inspection"), "inspect")
        .unsupportedOps();
  }

  private static Map<String, String> describe(ImportGraph g, Map<String, Integer> named) {
    Map<String, String> out = new LinkedHashMap<>();
    named.forEach(
        (k, v) ->
            out.put(k, TensorType.name(g.tensor(v).type) + Arrays.toString(g.tensor(v).shape)));
    return out;
  }
}
