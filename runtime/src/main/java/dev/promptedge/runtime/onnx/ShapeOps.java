package dev.promptedge.runtime.onnx;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * Operators that move or reduce data without arithmetic per element: RESHAPE, TRANSPOSE,
 * CONCATENATION, STRIDED_SLICE, PAD and MEAN. Their shape, axis and bound operands must be
 * constants; they become ONNX initializers or attributes. Stateless.
 */
final class ShapeOps {

  private ShapeOps() {}

  /** RESHAPE to the constant shape operand (or the options' new_shape); -1 stays inferred. */
  static void reshape(SourceOp op, OnnxGraph g) {
    int[] target;
    if (op.input(1) >= 0) {
      target = Conversions.constantInts(op, g, 1, "the target shape");
    } else {
      ReshapeOptionsT options = op.options(ReshapeOptionsT.class, null);
      if (options == null || options.getNewShape() == null) {
        throw Conversions.refuse(op, g, "it has neither a shape operand nor new_shape");
      }
      target = options.getNewShape();
    }
    String out = g.output(op.output());
    String shape = g.int64s(out + "/shape", toLongs(target));
    g.node("Reshape", List.of(g.value(op.input(0)), shape), out);
  }

  static void transpose(SourceOp op, OnnxGraph g) {
    int[] perm = Conversions.constantInts(op, g, 1, "the permutation");
    g.node(
        "Transpose",
        List.of(g.value(op.input(0))),
        g.output(op.output()),
        OnnxGraph.ints("perm", perm));
  }

  static void concatenation(SourceOp op, OnnxGraph g) {
    ConcatenationOptionsT options =
        op.options(ConcatenationOptionsT.class, new ConcatenationOptionsT());
    List<String> parts = new ArrayList<>();
    for (int t : op.inputs()) {
      parts.add(g.value(t));
    }
    String pre = Conversions.preActivation(g, op, options.getFusedActivationFunction());
    g.node("Concat", parts, pre, OnnxGraph.integer("axis", options.getAxis()));
    Conversions.activate(g, op, options.getFusedActivationFunction(), pre);
  }

  /**
   * STRIDED_SLICE as Slice over every axis, then Squeeze of the shrunk axes. A begin/end mask bit
   * takes the whole range on that side; a shrink bit keeps the one element at begin.
   */
  static void stridedSlice(SourceOp op, OnnxGraph g) {
    StridedSliceOptionsT o = op.options(StridedSliceOptionsT.class, new StridedSliceOptionsT());
    if (o.getEllipsisMask() != 0 || o.getNewAxisMask() != 0 || o.getOffset()) {
      throw Conversions.refuse(op, g, "ellipsis_mask, new_axis_mask and offset are not supported");
    }
    int[] begin = Conversions.constantInts(op, g, 1, "begin");
    int[] end = Conversions.constantInts(op, g, 2, "end");
    int[] strides = Conversions.constantInts(op, g, 3, "strides");
    int rank = begin.length;
    long[] starts = new long[rank];
    long[] ends = new long[rank];
    long[] steps = new long[rank];
    long[] axes = new long[rank];
    List<Long> shrunk = new ArrayList<>();
    for (int i = 0; i < rank; i++) {
      int step = strides[i];
      if (step == 0) {
        throw Conversions.refuse(op, g, "stride 0 on axis " + i);
      }
      axes[i] = i;
      steps[i] = step;
      starts[i] = bit(o.getBeginMask(), i) ? (step > 0 ? 0 : Long.MAX_VALUE) : begin[i];
      ends[i] = bit(o.getEndMask(), i) ? (step > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : end[i];
      if (bit(o.getShrinkAxisMask(), i)) {
        starts[i] = bit(o.getBeginMask(), i) ? 0 : begin[i];
        ends[i] = starts[i] == -1 ? Long.MAX_VALUE : starts[i] + 1;
        steps[i] = 1;
        shrunk.add((long) i);
      }
    }
    String out = g.output(op.output());
    String sliced = shrunk.isEmpty() ? out : g.fresh(out + "/slice");
    g.node(
        "Slice",
        List.of(
            g.value(op.input(0)),
            g.int64s(out + "/starts", starts),
            g.int64s(out + "/ends", ends),
            g.int64s(out + "/axes", axes),
            g.int64s(out + "/steps", steps)),
        sliced);
    if (!shrunk.isEmpty()) {
      long[] squeeze = shrunk.stream().mapToLong(Long::longValue).toArray();
      g.node("Squeeze", List.of(sliced, g.int64s(out + "/squeeze_axes", squeeze)), out);
    }
  }

  /** PAD with zeros; paddings [rank, 2] become ONNX pads [begins..., ends...]. */
  static void pad(SourceOp op, OnnxGraph g) {
    int[] paddings = Conversions.constantInts(op, g, 1, "the paddings");
    int rank = paddings.length / 2;
    long[] pads = new long[2 * rank];
    for (int i = 0; i < rank; i++) {
      pads[i] = paddings[2 * i];
      pads[rank + i] = paddings[2 * i + 1];
    }
    String out = g.output(op.output());
    g.node("Pad", List.of(g.value(op.input(0)), g.int64s(out + "/pads", pads)), out);
  }

  /** MEAN over constant axes as ReduceMean (opset 17 takes the axes as an attribute). */
  static void mean(SourceOp op, OnnxGraph g) {
    int[] axes = Conversions.constantInts(op, g, 1, "the axes");
    boolean keep = op.options(ReducerOptionsT.class, new ReducerOptionsT()).getKeepDims();
    g.node(
        "ReduceMean",
        List.of(g.value(op.input(0))),
        g.output(op.output()),
        OnnxGraph.ints("axes", axes),
        OnnxGraph.integer("keepdims", keep ? 1 : 0));
  }

  private static boolean bit(int mask, int i) {
    return (mask & (1 << i)) != 0;
  }

  private static long[] toLongs(int[] values) {
    long[] longs = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      longs[i] = values[i];
    }
    return longs;
  }
}
