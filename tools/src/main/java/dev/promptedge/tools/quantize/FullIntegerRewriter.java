package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Full-integer quantization of a float graph with measured ranges, op by op in execution order.
 *
 * <p>An op in {@link #INT8_OPS} runs int8: its activation inputs are int8 (a float one gets a
 * QUANTIZE in front); CONV_2D weights are symmetric per output channel, DEPTHWISE_CONV_2D weights
 * per channel of their last dimension (quantized dimension 3), FULLY_CONNECTED weights symmetric
 * per tensor (the 2.6.2 int8 kernel accepts per-row scales but computes with the first one only,
 * see {@code QuantizerTest}), all with int32 biases (scale input·weight); other constants are
 * asymmetric per tensor. Output parameters follow the 2.6.2 kernels: RESHAPE, TRANSPOSE,
 * STRIDED_SLICE, PAD, both poolings and RESIZE_BILINEAR keep their input's (their int8 kernels copy
 * or average values without rescaling); SOFTMAX and LOGISTIC give scale 1/256, zero point -128;
 * TANH 1/128, 0; every other op (RELU, RELU6 and HARD_SWISH rescale) its calibrated range.
 * CONCATENATION inputs whose parameters differ from the output's are requantized (QUANTIZE int8 →
 * int8) first. Any other op stays float32 with DEQUANTIZE before it; graph outputs that end int8
 * get a DEQUANTIZE back to float32 under their original names.
 */
final class FullIntegerRewriter {

  /**
   * Ops run int8, each run in the 2.6.2 interpreter by the micro ViT, micro CNN, head and one-op
   * tests.
   */
  static final Set<Integer> INT8_OPS =
      Set.of(
          BuiltinOperator.CONV_2D,
          BuiltinOperator.DEPTHWISE_CONV_2D,
          BuiltinOperator.FULLY_CONNECTED,
          BuiltinOperator.BATCH_MATMUL,
          BuiltinOperator.ADD,
          BuiltinOperator.SUB,
          BuiltinOperator.MUL,
          BuiltinOperator.SQUARED_DIFFERENCE,
          BuiltinOperator.MEAN,
          BuiltinOperator.RSQRT,
          BuiltinOperator.LOGISTIC,
          BuiltinOperator.SOFTMAX,
          BuiltinOperator.TANH,
          BuiltinOperator.RESHAPE,
          BuiltinOperator.TRANSPOSE,
          BuiltinOperator.STRIDED_SLICE,
          BuiltinOperator.CONCATENATION,
          BuiltinOperator.AVERAGE_POOL_2D,
          BuiltinOperator.MAX_POOL_2D,
          BuiltinOperator.PAD,
          BuiltinOperator.RELU,
          BuiltinOperator.RELU6,
          BuiltinOperator.HARD_SWISH,
          BuiltinOperator.RESIZE_BILINEAR);

  private static final Set<Integer> KEEPS_INPUT_PARAMS =
      Set.of(
          BuiltinOperator.RESHAPE,
          BuiltinOperator.TRANSPOSE,
          BuiltinOperator.STRIDED_SLICE,
          BuiltinOperator.AVERAGE_POOL_2D,
          BuiltinOperator.MAX_POOL_2D,
          BuiltinOperator.PAD,
          BuiltinOperator.RESIZE_BILINEAR);

  private static final Set<Integer> WEIGHTED =
      Set.of(
          BuiltinOperator.CONV_2D,
          BuiltinOperator.DEPTHWISE_CONV_2D,
          BuiltinOperator.FULLY_CONNECTED);

  private final ModelGraph graph;
  private final TensorRanges ranges;
  private final BiPredicate<Integer, Integer> allowed;
  private final Map<Integer, String> keepFloat;
  private int position;
  private final Map<Integer, Int8Math.Params> int8 = new HashMap<>();
  private final Map<Integer, Integer> quantizedCopies = new HashMap<>();
  private final Map<Integer, Integer> floatCopies = new HashMap<>();
  private final List<OperatorT> ops = new ArrayList<>();
  private final List<String> int8Ops = new ArrayList<>();
  private final List<String> floatOps = new ArrayList<>();

  private FullIntegerRewriter(
      ModelGraph graph,
      TensorRanges ranges,
      BiPredicate<Integer, Integer> allowed,
      Map<Integer, String> keepFloat) {
    this.graph = graph;
    this.ranges = ranges;
    this.allowed = allowed;
    this.keepFloat = keepFloat;
  }

  /** Rewrites every op it can, except those in {@code keepFloat} (position → reason). */
  static QuantizedModel rewrite(
      ModelGraph graph, TensorRanges ranges, Map<Integer, String> keepFloat) {
    return run(new FullIntegerRewriter(graph, ranges, (position, code) -> true, keepFloat));
  }

  /**
   * Rewrites with only the ops that {@code allowed} accepts (by position in the float model and
   * builtin code) run int8; for measuring one op at a time.
   */
  static QuantizedModel rewrite(
      ModelGraph graph, TensorRanges ranges, BiPredicate<Integer, Integer> allowed) {
    return run(new FullIntegerRewriter(graph, ranges, allowed, Map.of()));
  }

  /** Rewrites with only the ops {@code allowed} accepts, except those in {@code keepFloat}. */
  static QuantizedModel rewrite(
      ModelGraph graph,
      TensorRanges ranges,
      BiPredicate<Integer, Integer> allowed,
      Map<Integer, String> keepFloat) {
    return run(new FullIntegerRewriter(graph, ranges, allowed, keepFloat));
  }

  private static QuantizedModel run(FullIntegerRewriter rewriter) {
    ModelGraph graph = rewriter.graph;
    for (OperatorT op : List.copyOf(graph.operators)) {
      rewriter.rewrite(op);
      rewriter.position++;
    }
    rewriter.floatOutputs();
    graph.operators = rewriter.ops;
    return new QuantizedModel(
        graph.serialize(), Precision.INT8_FULL, rewriter.int8Ops, rewriter.floatOps);
  }

  private void rewrite(OperatorT op) {
    int code = graph.builtin(op);
    String why = whyFloat(op, code);
    String label = BuiltinOperator.name(code) + " " + graph.tensor(op.getOutputs()[0]).getName();
    if (why != null) {
      int[] inputs = op.getInputs().clone();
      for (int i = 0; i < inputs.length; i++) {
        if (inputs[i] >= 0 && int8.containsKey(inputs[i])) {
          inputs[i] = floatCopy(inputs[i]);
        }
      }
      op.setInputs(inputs);
      ops.add(op);
      floatOps.add(label + ": " + why);
      return;
    }
    int[] inputs = op.getInputs().clone();
    boolean weighted = WEIGHTED.contains(code);
    float[] weightScales = null;
    for (int i = 0; i < inputs.length; i++) {
      int t = inputs[i];
      if (t < 0 || graph.tensor(t).getType() == TensorType.INT32) {
        continue;
      }
      if (!graph.isConstant(t)) {
        inputs[i] = quantizedCopy(t);
      } else if (weighted && i == 1) {
        TensorT w = graph.tensor(t);
        int[] shape = w.getShape();
        Int8Math.Quantized q =
            code == BuiltinOperator.DEPTHWISE_CONV_2D
                ? Int8Math.symmetricLastAxis(graph.floatData(t), shape[shape.length - 1])
                : Int8Math.symmetric(
                    graph.floatData(t), code == BuiltinOperator.CONV_2D ? shape[0] : 1);
        weightScales = q.params().scales();
        inputs[i] = constant(w, q);
      } else if (!(weighted && i == 2)) {
        inputs[i] = constant(graph.tensor(t), Int8Math.constant(graph.floatData(t)));
      }
    }
    if (weighted && inputs.length > 2 && inputs[2] >= 0) {
      TensorT b = graph.tensor(inputs[2]);
      Int8Math.Quantized q =
          Int8Math.bias(graph.floatData(inputs[2]), int8.get(inputs[0]).scale(), weightScales);
      inputs[2] =
          graph.addConstant(
              b.getName(), TensorType.INT32, b.getShape(), q.data(), q.params().toSchema());
    }
    int out = op.getOutputs()[0];
    Int8Math.Params params = outputParams(code, inputs[0], out);
    if (code == BuiltinOperator.CONCATENATION) {
      for (int i = 0; i < inputs.length; i++) {
        if (!int8.get(inputs[i]).sameAs(params)) {
          inputs[i] = requantized(inputs[i], params);
        }
      }
    }
    op.setInputs(inputs);
    TensorT output = graph.tensor(out);
    output.setType(TensorType.INT8);
    output.setQuantization(params.toSchema());
    int8.put(out, params);
    ops.add(op);
    int8Ops.add(label);
  }

  /** Why {@code op} stays float, or null when it can run int8. */
  private String whyFloat(OperatorT op, int code) {
    if (!INT8_OPS.contains(code)) {
      return "no int8 kernel used for this op in 2.6.2";
    }
    if (keepFloat.containsKey(position)) {
      return keepFloat.get(position);
    }
    if (!allowed.test(position, code)) {
      return "kept float by request";
    }
    if (op.getOutputs().length != 1) {
      return "more than one output";
    }
    int out = op.getOutputs()[0];
    if (graph.tensor(out).getType() != TensorType.FLOAT32 || ranges.of(out) == null) {
      return "output was not observed in calibration";
    }
    int[] inputs = op.getInputs();
    for (int i = 0; i < inputs.length; i++) {
      int t = inputs[i];
      if (t < 0 || graph.tensor(t).getType() == TensorType.INT32 || graph.isConstant(t)) {
        continue;
      }
      if (!int8.containsKey(t) && ranges.of(t) == null) {
        return "input '" + graph.tensor(t).getName() + "' was not observed in calibration";
      }
    }
    boolean weighted = WEIGHTED.contains(code);
    if (weighted && (inputs.length < 2 || !graph.isConstant(inputs[1]))) {
      return "weights are not constant";
    }
    return null;
  }

  private Int8Math.Params outputParams(int code, int input, int out) {
    if (KEEPS_INPUT_PARAMS.contains(code)) {
      return int8.get(input);
    }
    if (code == BuiltinOperator.SOFTMAX || code == BuiltinOperator.LOGISTIC) {
      return Int8Math.Params.perTensor(1f / 256, -128);
    }
    if (code == BuiltinOperator.TANH) {
      return Int8Math.Params.perTensor(1f / 128, 0);
    }
    float[] range = ranges.of(out);
    return Int8Math.activation(range[0], range[1]);
  }

  private int constant(TensorT like, Int8Math.Quantized q) {
    return graph.addConstant(
        like.getName(), TensorType.INT8, like.getShape(), q.data(), q.params().toSchema());
  }

  /** {@code t} as int8: itself when it is, else a QUANTIZE of it with its calibrated range. */
  private int quantizedCopy(int t) {
    if (int8.containsKey(t)) {
      return t;
    }
    return quantizedCopies.computeIfAbsent(
        t,
        k -> {
          float[] range = ranges.of(k);
          Int8Math.Params p = Int8Math.activation(range[0], range[1]);
          int q =
              graph.addActivation(
                  graph.tensor(k).getName() + "/int8", k, TensorType.INT8, p.toSchema());
          ops.add(graph.operator(BuiltinOperator.QUANTIZE, k, q));
          int8.put(q, p);
          return q;
        });
  }

  /** {@code t} (int8) as float32, through one DEQUANTIZE shared by all float consumers. */
  private int floatCopy(int t) {
    return floatCopies.computeIfAbsent(
        t,
        k -> {
          int f =
              graph.addActivation(
                  graph.tensor(k).getName() + "/float", k, TensorType.FLOAT32, null);
          ops.add(graph.operator(BuiltinOperator.DEQUANTIZE, k, f));
          return f;
        });
  }

  /** {@code t} (int8) moved to {@code params} by a QUANTIZE int8 → int8. */
  private int requantized(int t, Int8Math.Params params) {
    int r =
        graph.addActivation(
            graph.tensor(t).getName() + "/requantized", t, TensorType.INT8, params.toSchema());
    ops.add(graph.operator(BuiltinOperator.QUANTIZE, t, r));
    int8.put(r, params);
    return r;
  }

  /** Every graph output that ended int8 gets a DEQUANTIZE to a float32 tensor of its name. */
  private void floatOutputs() {
    for (int out : graph.graph.getOutputs().clone()) {
      if (!int8.containsKey(out)) {
        continue;
      }
      TensorT tensor = graph.tensor(out);
      String name = tensor.getName();
      tensor.setName(name + "/int8");
      int f = graph.addActivation(name, out, TensorType.FLOAT32, null);
      ops.add(graph.operator(BuiltinOperator.DEQUANTIZE, out, f));
      graph.replaceOutput(out, f);
    }
  }
}
