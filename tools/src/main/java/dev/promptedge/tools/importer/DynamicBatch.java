package dev.promptedge.tools.importer;

import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * Frees the batch of a batch-1 graph: every activation's leading 1 becomes {@code -1} in its shape
 * signature, RESHAPE targets keep the batch free ({@code [-1, ...]}), slices take the whole batch.
 * Leaves the graph unchanged and returns false when an operator mixes samples (concatenates,
 * transposes or reshapes across the batch), so the batch stays fixed at 1.
 */
final class DynamicBatch {

  private DynamicBatch() {}

  static boolean apply(ImportGraph g) {
    for (ImportGraph.Op op : g.ops) {
      if (mixesSamples(g, op)) {
        return false;
      }
    }
    for (ImportGraph.Tensor t : g.tensors) {
      if (!t.isConstant() && t.shape.length > 0 && t.shape[0] == 1) {
        t.shape[0] = -1;
      }
    }
    for (ImportGraph.Op op : g.ops) {
      if (op.opcode == BuiltinOperator.RESHAPE && op.inputs.length > 1) {
        ImportGraph.Tensor target = g.tensor(op.inputs[1]);
        int[] shape = target.ints();
        shape[0] = -1;
        op.inputs[1] = g.vector(target.name + "/batch_free", shape);
        if (op.options instanceof ReshapeOptionsT o) {
          o.setNewShape(shape.clone());
        }
      } else if (op.opcode == BuiltinOperator.STRIDED_SLICE) {
        StridedSliceOptionsT o = (StridedSliceOptionsT) op.options;
        o.setBeginMask(o.getBeginMask() | 1);
        o.setEndMask(o.getEndMask() | 1);
      }
    }
    return true;
  }

  private static boolean mixesSamples(ImportGraph g, ImportGraph.Op op) {
    switch (op.opcode) {
      case BuiltinOperator.CONCATENATION:
        return ((ConcatenationOptionsT) op.options).getAxis() == 0;
      case BuiltinOperator.TRANSPOSE:
        return !g.tensor(op.inputs[1]).isConstant() || g.tensor(op.inputs[1]).ints()[0] != 0;
      case BuiltinOperator.RESHAPE:
        {
          if (op.inputs.length < 2 || !g.tensor(op.inputs[1]).isConstant()) {
            return true;
          }
          int[] target = g.tensor(op.inputs[1]).ints();
          int[] in = g.tensor(op.inputs[0]).shape;
          return target.length == 0
              || target[0] != 1
              || in.length == 0
              || in[0] != 1
              || countFree(target) > 0;
        }
      case BuiltinOperator.STRIDED_SLICE:
        {
          int[] begin = g.tensor(op.inputs[1]).ints();
          int[] end = g.tensor(op.inputs[2]).ints();
          StridedSliceOptionsT o = (StridedSliceOptionsT) op.options;
          boolean whole =
              ((o.getBeginMask() & 1) != 0 || begin[0] == 0)
                  && ((o.getEndMask() & 1) != 0 || end[0] == 1);
          return !whole || (o.getShrinkAxisMask() & 1) != 0;
        }
      case BuiltinOperator.MEAN:
      case BuiltinOperator.SUM:
      case BuiltinOperator.REDUCE_MAX:
        for (int axis : g.tensor(op.inputs[1]).ints()) {
          if (axis == 0) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  private static int countFree(int[] target) {
    int n = 0;
    for (int d : target) {
      n += d == -1 ? 1 : 0;
    }
    return n;
  }
}
