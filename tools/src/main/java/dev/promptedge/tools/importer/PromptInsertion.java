package dev.promptedge.tools.importer;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * Inserts the prompt inputs of contract v2: {@code pixel_prompt} [B,H,W,3] added right after the
 * pixel input, and {@code scale_shift_k} [B,2,C] after chosen NHWC tensors as x·γ + β (row 0 = γ,
 * row 1 = β, sliced and reshaped to [B,1,1,C] so they broadcast over H and W per sample).
 */
final class PromptInsertion {

  private PromptInsertion() {}

  /** Adds {@code pixel_prompt} to the graph's one pixel input; returns the input's shape. */
  static int[] pixel(ImportGraph g, String pixelInput) {
    int x = g.inputs.get(pixelInput);
    int[] shape = g.tensor(x).shape;
    int prompt = g.activation(ImportedBackbone.PIXEL_PROMPT, shape);
    int sum = g.activation(g.tensor(x).name + "/pixel_prompted", shape);
    g.replaceUses(x, sum, null);
    ImportGraph.Op add =
        new ImportGraph.Op(
            BuiltinOperator.ADD,
            BuiltinOptions.AddOptions,
            new AddOptionsT(),
            new int[] {x, prompt},
            new int[] {sum});
    g.ops.add(0, add);
    g.inputs.put(ImportedBackbone.PIXEL_PROMPT, prompt);
    return shape;
  }

  /**
   * Adds {@code scale_shift_<k>} after each tensor of {@code placements} (k in graph order of the
   * given list); returns the per-sample shapes [2, C].
   */
  static List<int[]> channel(ImportGraph g, List<String> placements) {
    List<int[]> shapes = new ArrayList<>();
    for (int k = 0; k < placements.size(); k++) {
      String name = placements.get(k);
      int x = g.find(name);
      if (x < 0 || g.tensor(x).isConstant() || g.tensor(x).shape.length != 4) {
        throw new ImportException(
            "cannot put a channel prompt after '"
                + name
                + "': it is not a 4-D activation of the model; pick block outputs listed by"
                + " `promptedge backbone inspect`");
      }
      int[] shape = g.tensor(x).shape;
      int c = shape[3];
      String input = ImportedBackbone.SCALE_SHIFT + k;
      int prompt = g.activation(input, 1, 2, c);
      List<ImportGraph.Op> ops = new ArrayList<>();
      int gamma = row(g, ops, prompt, 0, c, input + "/gamma");
      int beta = row(g, ops, prompt, 1, c, input + "/beta");
      int scaled = g.activation(name + "/scaled", shape);
      ops.add(
          op(BuiltinOperator.MUL, BuiltinOptions.MulOptions, new MulOptionsT(), scaled, x, gamma));
      int shifted = g.activation(name + "/scale_shift", shape);
      ops.add(
          op(
              BuiltinOperator.ADD,
              BuiltinOptions.AddOptions,
              new AddOptionsT(),
              shifted,
              scaled,
              beta));
      g.replaceUses(x, shifted, ops.get(ops.size() - 2));
      ImportGraph.Op producer = g.producer(x);
      int at = producer == null ? 0 : g.ops.indexOf(producer) + 1;
      g.ops.addAll(at, ops);
      g.inputs.put(input, prompt);
      shapes.add(new int[] {2, c});
    }
    return shapes;
  }

  /** Row {@code r} of a [1,2,C] prompt as a [1,1,1,C] tensor (batch dimension kept free). */
  private static int row(
      ImportGraph g, List<ImportGraph.Op> ops, int prompt, int r, int c, String name) {
    int sliced = g.activation(name + "_row", 1, 1, c);
    StridedSliceOptionsT o = new StridedSliceOptionsT();
    o.setBeginMask(0b101);
    o.setEndMask(0b101);
    ops.add(
        op(
            BuiltinOperator.STRIDED_SLICE,
            BuiltinOptions.StridedSliceOptions,
            o,
            sliced,
            prompt,
            g.vector(name + "/begin", 0, r, 0),
            g.vector(name + "/end", 1, r + 1, c),
            g.vector(name + "/strides", 1, 1, 1)));
    int reshaped = g.activation(name, 1, 1, 1, c);
    ReshapeOptionsT ro = new ReshapeOptionsT();
    ro.setNewShape(new int[] {1, 1, 1, c});
    ops.add(
        op(
            BuiltinOperator.RESHAPE,
            BuiltinOptions.ReshapeOptions,
            ro,
            reshaped,
            sliced,
            g.vector(name + "/shape", 1, 1, 1, c)));
    return reshaped;
  }

  private static ImportGraph.Op op(int code, byte type, Object options, int out, int... in) {
    return new ImportGraph.Op(code, type, options, in, new int[] {out});
  }
}
