package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.lite.schema.TensorType;

/**
 * What a kernel may look at while it is compiled: the operator, the graph's tensors (int32
 * constants are folded into the kernel), the executor's manager and precision for helper arrays it
 * keeps. Helper arrays go into {@code resident} so the executor can lend them to each forward.
 */
final class KernelContext {

  private final TfliteGraph.Node node;
  private final List<TfliteGraph.Tensor> tensors;
  private final NDManager manager;
  private final DataType precision;
  private final List<NDArray> resident;

  KernelContext(
      TfliteGraph.Node node,
      List<TfliteGraph.Tensor> tensors,
      NDManager manager,
      DataType precision,
      List<NDArray> resident) {
    this.node = node;
    this.tensors = tensors;
    this.manager = manager;
    this.precision = precision;
    this.resident = resident;
  }

  TfliteGraph.Node node() {
    return node;
  }

  /** Number of inputs the operator lists (omitted optional inputs included). */
  int inputCount() {
    return node.inputs().length;
  }

  /** True when input {@code i} is present (not the -1 of an omitted optional input). */
  boolean hasInput(int i) {
    return i < node.inputs().length && node.inputs()[i] >= 0;
  }

  /** Declared shape of input {@code i} ({@code -1} where dynamic). */
  int[] inputShape(int i) {
    return tensors.get(node.inputs()[i]).shapeSignature().clone();
  }

  /** Declared shape of the operator's output ({@code -1} where dynamic). */
  int[] outputShape() {
    return tensors.get(node.outputs()[0]).shapeSignature().clone();
  }

  /** The values of int32 constant input {@code i}; throws naming the operator when it is not. */
  int[] ints(int i) {
    TfliteGraph.Tensor t = tensors.get(node.inputs()[i]);
    if (!t.isConstant() || t.type() != TensorType.INT32) {
      throw unsupported(
          "its input "
              + i
              + " ('"
              + t.name()
              + "') is computed at run time, not an int32 constant");
    }
    return t.ints();
  }

  /**
   * A helper array the kernel keeps (e.g. an interpolation matrix), in the executor's precision.
   */
  NDArray keep(double[] values, long... shape) {
    NDArray array = manager.create(values, new ai.djl.ndarray.types.Shape(shape));
    if (precision != DataType.FLOAT64) {
      NDArray cast = array.toType(precision, false);
      array.close();
      array = cast;
    }
    resident.add(array);
    return array;
  }

  /** An error naming this operator and why the host engine cannot run it. */
  IllegalArgumentException unsupported(String why) {
    return new IllegalArgumentException(
        "operator "
            + node.position()
            + " ("
            + node.opName()
            + " -> '"
            + tensors.get(node.outputs()[0]).name()
            + "') cannot run on the host engine: "
            + why);
  }

  @Override
  public String toString() {
    return node.opName() + Arrays.toString(node.inputs());
  }
}
