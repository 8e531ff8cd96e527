package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * Kernels that move or reduce values: RESHAPE, TRANSPOSE, CONCATENATION, STRIDED_SLICE, PAD and
 * MEAN. Their shape arguments (targets, permutations, axes, paddings, slice bounds) must be int32
 * constants; they are folded in at compile time.
 */
final class ShapeKernels {

  private ShapeKernels() {}

  static Kernel compile(KernelContext c) {
    switch (c.node().opcode()) {
      case BuiltinOperator.RESHAPE:
        return reshape(c);
      case BuiltinOperator.TRANSPOSE:
        {
          int[] perm = c.ints(1);
          return in -> in[0].transpose(perm);
        }
      case BuiltinOperator.CONCATENATION:
        {
          ConcatenationOptionsT o = (ConcatenationOptionsT) c.node().options();
          int rank = c.inputShape(0).length;
          int axis = o.getAxis() < 0 ? o.getAxis() + rank : o.getAxis();
          if (o.getFusedActivationFunction() != 0) {
            throw c.unsupported(
                "the 2.6.2 interpreter refuses a fused activation on CONCATENATION too");
          }
          return in -> NDArrays.concat(new NDList(in), axis);
        }
      case BuiltinOperator.STRIDED_SLICE:
        return stridedSlice(c);
      case BuiltinOperator.PAD:
        {
          int[] pairs = c.ints(1);
          long[] torchOrder = new long[pairs.length];
          int rank = pairs.length / 2;
          for (int axis = 0; axis < rank; axis++) {
            torchOrder[2 * (rank - 1 - axis)] = pairs[2 * axis];
            torchOrder[2 * (rank - 1 - axis) + 1] = pairs[2 * axis + 1];
          }
          Shape pad = new Shape(torchOrder);
          return in -> in[0].pad(pad, 0);
        }
      case BuiltinOperator.MEAN:
        {
          int[] axes = c.ints(1);
          boolean keep = c.node().options() instanceof ReducerOptionsT o && o.getKeepDims();
          int rank = c.inputShape(0).length;
          // PyTorch's engine reduces one axis per call: go from the last axis to the first so
          // the remaining axis numbers stay valid when dimensions are dropped.
          int[] descending =
              Arrays.stream(axes)
                  .map(a -> a < 0 ? a + rank : a)
                  .distinct()
                  .boxed()
                  .sorted(java.util.Comparator.reverseOrder())
                  .mapToInt(Integer::intValue)
                  .toArray();
          return in -> {
            NDArray x = in[0];
            for (int axis : descending) {
              x = x.mean(new int[] {axis}, keep);
            }
            return x;
          };
        }
      default:
        throw c.unsupported("not a shape operator");
    }
  }

  private static Kernel reshape(KernelContext c) {
    int[] target;
    if (c.hasInput(1)) {
      target = c.ints(1);
    } else if (c.node().options() instanceof ReshapeOptionsT o && o.getNewShape() != null) {
      target = o.getNewShape();
    } else {
      target = c.outputShape();
    }
    long[] shape = Arrays.stream(target).asLongStream().toArray();
    if (Arrays.stream(target).filter(d -> d == -1).count() > 1) {
      throw c.unsupported(
          "its target shape " + Arrays.toString(target) + " has more than one -1 dimension");
    }
    Shape s = new Shape(shape);
    return in -> in[0].reshape(s);
  }

  private static Kernel stridedSlice(KernelContext c) {
    StridedSliceOptionsT o = (StridedSliceOptionsT) c.node().options();
    int[] begin = c.ints(1);
    int[] end = c.ints(2);
    int[] strides = c.hasInput(3) ? c.ints(3) : filled(begin.length, 1);
    if (o.getEllipsisMask() != 0 || o.getNewAxisMask() != 0) {
      throw c.unsupported("ellipsis_mask and new_axis_mask are not supported; use RESHAPE");
    }
    for (int s : strides) {
      if (s <= 0) {
        throw c.unsupported("stride " + s + " is not positive; only forward slices run");
      }
    }
    int beginMask = o.getBeginMask();
    int endMask = o.getEndMask();
    int shrink = o.getShrinkAxisMask();
    return in -> {
      long[] shape = in[0].getShape().getShape();
      NDIndex index = new NDIndex();
      for (int i = 0; i < begin.length; i++) {
        long dim = shape[i];
        if ((shrink & (1 << i)) != 0) {
          long b = begin[i] < 0 ? begin[i] + dim : begin[i];
          index.addIndices(b);
          continue;
        }
        long b =
            (beginMask & (1 << i)) != 0 ? 0 : clamp(begin[i] < 0 ? begin[i] + dim : begin[i], dim);
        long e = (endMask & (1 << i)) != 0 ? dim : clamp(end[i] < 0 ? end[i] + dim : end[i], dim);
        index.addSliceDim(b, Math.max(b, e), strides[i]);
      }
      return in[0].get(index);
    };
  }

  private static long clamp(long value, long dim) {
    return Math.max(0, Math.min(value, dim));
  }

  private static int[] filled(int n, int value) {
    int[] a = new int[n];
    Arrays.fill(a, value);
    return a;
  }
}
