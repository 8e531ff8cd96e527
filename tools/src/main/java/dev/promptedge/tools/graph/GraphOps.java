package dev.promptedge.tools.graph;

import java.util.Arrays;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;
import org.tensorflow.lite.schema.TransposeOptionsT;

/**
 * Float32 operators over a {@link TfliteModelBuilder}, each returning its output tensor with the
 * output's shape signature worked out; only ops the 2.6.2 interpreter runs. Names are prefixes the
 * caller keeps unique.
 */
final class GraphOps {

  private final TfliteModelBuilder model;

  GraphOps(TfliteModelBuilder model) {
    this.model = model;
  }

  /** The model the operators are written into. */
  TfliteModelBuilder model() {
    return model;
  }

  /** CONV_2D, VALID padding, square stride; kernel [O,k,k,I] (OHWI) and bias [O]. */
  int conv2d(String name, int x, float[] kernel, float[] bias, int outChannels, int k, int stride) {
    int[] in = model.shapeOf(x);
    int w = model.constant(name + "/kernel", new int[] {outChannels, k, k, in[3]}, kernel);
    int b = model.constant(name + "/bias", new int[] {outChannels}, bias);
    int out =
        model.activation(
            name, in[0], (in[1] - k) / stride + 1, (in[2] - k) / stride + 1, outChannels);
    Conv2DOptionsT options = new Conv2DOptionsT();
    options.setPadding(Padding.VALID);
    options.setStrideH(stride);
    options.setStrideW(stride);
    options.setDilationHFactor(1);
    options.setDilationWFactor(1);
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(
        BuiltinOperator.CONV_2D,
        BuiltinOptions.Conv2DOptions,
        options,
        new int[] {x, w, b},
        new int[] {out});
    return out;
  }

  /** FULLY_CONNECTED with keep_num_dims: [..., in] → [..., out]; weight [out, in], bias [out]. */
  int fullyConnected(String name, int x, float[] weight, float[] bias, int outDim) {
    int[] in = model.shapeOf(x);
    int inDim = in[in.length - 1];
    int w = model.constant(name + "/weight", new int[] {outDim, inDim}, weight);
    int b = model.constant(name + "/bias", new int[] {outDim}, bias);
    int[] outShape = in.clone();
    outShape[outShape.length - 1] = outDim;
    int out = model.activation(name, outShape);
    FullyConnectedOptionsT options = new FullyConnectedOptionsT();
    options.setKeepNumDims(true);
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(
        BuiltinOperator.FULLY_CONNECTED,
        BuiltinOptions.FullyConnectedOptions,
        options,
        new int[] {x, w, b},
        new int[] {out});
    return out;
  }

  /** RESHAPE to {@code target}, where {@code -1} (the batch) is inferred at run time. */
  int reshape(String name, int x, int... target) {
    int shape = model.vectorInt32(name + "/shape", target);
    int out = model.activation(name, target);
    ReshapeOptionsT options = new ReshapeOptionsT();
    options.setNewShape(target.clone());
    model.operator(
        BuiltinOperator.RESHAPE,
        BuiltinOptions.ReshapeOptions,
        options,
        new int[] {x, shape},
        new int[] {out});
    return out;
  }

  /** TRANSPOSE by permutation {@code perm}. */
  int transpose(String name, int x, int... perm) {
    int[] in = model.shapeOf(x);
    int[] outShape = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      outShape[i] = in[perm[i]];
    }
    int p = model.vectorInt32(name + "/perm", perm);
    int out = model.activation(name, outShape);
    model.operator(
        BuiltinOperator.TRANSPOSE,
        BuiltinOptions.TransposeOptions,
        new TransposeOptionsT(),
        new int[] {x, p},
        new int[] {out});
    return out;
  }

  /** BATCH_MATMUL a·b, or a·bᵀ when {@code adjY}, over the leading batch dimensions of a. */
  int batchMatMul(String name, int a, int b, boolean adjY) {
    int[] left = model.shapeOf(a);
    int[] right = model.shapeOf(b);
    int[] outShape = left.clone();
    outShape[outShape.length - 1] = adjY ? right[right.length - 2] : right[right.length - 1];
    int out = model.activation(name, outShape);
    BatchMatMulOptionsT options = new BatchMatMulOptionsT();
    options.setAdjX(false);
    options.setAdjY(adjY);
    model.operator(
        BuiltinOperator.BATCH_MATMUL,
        BuiltinOptions.BatchMatMulOptions,
        options,
        new int[] {a, b},
        new int[] {out});
    return out;
  }

  /** ADD with broadcasting. */
  int add(String name, int a, int b) {
    AddOptionsT options = new AddOptionsT();
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    return binary(name, BuiltinOperator.ADD, BuiltinOptions.AddOptions, options, a, b);
  }

  /** SUB with broadcasting. */
  int sub(String name, int a, int b) {
    SubOptionsT options = new SubOptionsT();
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    return binary(name, BuiltinOperator.SUB, BuiltinOptions.SubOptions, options, a, b);
  }

  /** MUL with broadcasting. */
  int mul(String name, int a, int b) {
    MulOptionsT options = new MulOptionsT();
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    return binary(name, BuiltinOperator.MUL, BuiltinOptions.MulOptions, options, a, b);
  }

  /** A float32 constant of shape [1] that broadcasts against anything. */
  int scalar(String name, float value) {
    return model.constant(name, new int[] {1}, new float[] {value});
  }

  /** MEAN over {@code axes} (non-negative), keeping them as size 1 when {@code keepDims}. */
  int mean(String name, int x, boolean keepDims, int... axes) {
    int[] in = model.shapeOf(x);
    int a = model.vectorInt32(name + "/axes", axes);
    int[] outShape =
        java.util.stream.IntStream.range(0, in.length)
            .filter(i -> keepDims || Arrays.stream(axes).noneMatch(ax -> ax == i))
            .map(i -> Arrays.stream(axes).anyMatch(ax -> ax == i) ? 1 : in[i])
            .toArray();
    int out = model.activation(name, outShape);
    ReducerOptionsT options = new ReducerOptionsT();
    options.setKeepDims(keepDims);
    model.operator(
        BuiltinOperator.MEAN,
        BuiltinOptions.ReducerOptions,
        options,
        new int[] {x, a},
        new int[] {out});
    return out;
  }

  /** SOFTMAX over the last axis, beta 1. */
  int softmax(String name, int x) {
    int out = model.activation(name, model.shapeOf(x));
    SoftmaxOptionsT options = new SoftmaxOptionsT();
    options.setBeta(1f);
    model.operator(
        BuiltinOperator.SOFTMAX,
        BuiltinOptions.SoftmaxOptions,
        options,
        new int[] {x},
        new int[] {out});
    return out;
  }

  /** CONCATENATION of {@code parts} along {@code axis}. */
  int concat(String name, int axis, int... parts) {
    int[] outShape = model.shapeOf(parts[0]);
    for (int i = 1; i < parts.length; i++) {
      outShape[axis] += model.shapeOf(parts[i])[axis];
    }
    int out = model.activation(name, outShape);
    ConcatenationOptionsT options = new ConcatenationOptionsT();
    options.setAxis(axis);
    options.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(
        BuiltinOperator.CONCATENATION,
        BuiltinOptions.ConcatenationOptions,
        options,
        parts.clone(),
        new int[] {out});
    return out;
  }

  /**
   * STRIDED_SLICE with unit strides; a set bit in {@code beginMask}/{@code endMask} takes the whole
   * range on that side, a set bit in {@code shrinkMask} drops that (size-1) axis.
   */
  int stridedSlice(
      String name,
      int x,
      int[] begin,
      int[] end,
      int beginMask,
      int endMask,
      int shrinkMask,
      int[] outShape) {
    int b = model.vectorInt32(name + "/begin", begin);
    int e = model.vectorInt32(name + "/end", end);
    int[] ones = new int[begin.length];
    Arrays.fill(ones, 1);
    int s = model.vectorInt32(name + "/strides", ones);
    int out = model.activation(name, outShape);
    StridedSliceOptionsT options = new StridedSliceOptionsT();
    options.setBeginMask(beginMask);
    options.setEndMask(endMask);
    options.setShrinkAxisMask(shrinkMask);
    model.operator(
        BuiltinOperator.STRIDED_SLICE,
        BuiltinOptions.StridedSliceOptions,
        options,
        new int[] {x, b, e, s},
        new int[] {out});
    return out;
  }

  /** An option-less element-wise op (LOGISTIC, RSQRT) keeping the input's shape. */
  int unary(String name, int builtinOperator, int x) {
    int out = model.activation(name, model.shapeOf(x));
    model.operator(builtinOperator, BuiltinOptions.NONE, null, new int[] {x}, new int[] {out});
    return out;
  }

  /**
   * Layer normalization over the last axis: (x − mean) · rsqrt(mean((x − mean)²) + eps) · gamma +
   * beta, from MEAN, SUB, MUL, ADD and RSQRT.
   */
  int layerNorm(String name, int x, float[] gamma, float[] beta, float epsilon) {
    int[] shape = model.shapeOf(x);
    int last = shape.length - 1;
    int mean = mean(name + "/mean", x, true, last);
    int centered = sub(name + "/centered", x, mean);
    int squared = mul(name + "/squared", centered, centered);
    int variance = mean(name + "/variance", squared, true, last);
    int shifted = add(name + "/variance_eps", variance, scalar(name + "/eps", epsilon));
    int inverse = unary(name + "/rsqrt", BuiltinOperator.RSQRT, shifted);
    int normalized = mul(name + "/normalized", centered, inverse);
    int scaled =
        mul(
            name + "/scaled",
            normalized,
            model.constant(name + "/gamma", new int[] {shape[last]}, gamma));
    return add(name, scaled, model.constant(name + "/beta", new int[] {shape[last]}, beta));
  }

  /** GELU as x · sigmoid(1.702 x): MUL, LOGISTIC, MUL (2.6.2 has no GELU builtin). */
  int gelu(String name, int x) {
    int scaled = mul(name + "/scaled", x, scalar(name + "/alpha", 1.702f));
    int gate = unary(name + "/gate", BuiltinOperator.LOGISTIC, scaled);
    return mul(name, x, gate);
  }

  private int binary(String name, int opcode, byte optionsType, Object options, int a, int b) {
    int out = model.activation(name, broadcast(model.shapeOf(a), model.shapeOf(b)));
    model.operator(opcode, optionsType, options, new int[] {a, b}, new int[] {out});
    return out;
  }

  /** NumPy broadcasting of two shape signatures; a dynamic (-1) dimension wins over 1. */
  static int[] broadcast(int[] a, int[] b) {
    int rank = Math.max(a.length, b.length);
    int[] out = new int[rank];
    for (int i = 0; i < rank; i++) {
      int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
      int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "Cannot broadcast " + Arrays.toString(a) + " with " + Arrays.toString(b));
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }
}
