package dev.promptedge.tools.graph;

import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.Padding;

/**
 * Writes a head's depthwise-separable residual blocks: DEPTHWISE_CONV_2D 3×3 (SAME, stride 1, fused
 * RELU6), CONV_2D 1×1 (no activation), ADD of the block's input. Shapes [B, H, W, D] in and out.
 * Constants of block {@code i} are named {@code <prefix>block<i>/depthwise/kernel}, {@code
 * …/depthwise/bias}, {@code …/pointwise/kernel} and {@code …/pointwise/bias}.
 */
final class ConvHeadBlocks {

  private ConvHeadBlocks() {}

  /** Writes block {@code index} on {@code x} [B, H, W, D]; returns its output. */
  static int block(GraphOps ops, String prefix, int index, ConvBlockWeights w, int x) {
    TfliteModelBuilder model = ops.model();
    int[] shape = model.shapeOf(x);
    int d = w.dim();
    if (shape.length != 4 || shape[3] != d) {
      throw new IllegalArgumentException(
          "Conv block "
              + index
              + " takes D = "
              + d
              + " but its input has shape "
              + shapeText(shape));
    }
    String name = prefix + "block" + index;
    int k = ConvBlockWeights.KERNEL;
    int dwKernel =
        model.constant(name + "/depthwise/kernel", new int[] {1, k, k, d}, w.depthwise());
    int dwBias = model.constant(name + "/depthwise/bias", new int[] {d}, w.depthwiseBias());
    int dw = model.activation(name + "/depthwise", shape);
    DepthwiseConv2DOptionsT dwo = new DepthwiseConv2DOptionsT();
    dwo.setPadding(Padding.SAME);
    dwo.setStrideH(1);
    dwo.setStrideW(1);
    dwo.setDepthMultiplier(1);
    dwo.setDilationHFactor(1);
    dwo.setDilationWFactor(1);
    dwo.setFusedActivationFunction(ActivationFunctionType.RELU6);
    model.operator(
        BuiltinOperator.DEPTHWISE_CONV_2D,
        BuiltinOptions.DepthwiseConv2DOptions,
        dwo,
        new int[] {x, dwKernel, dwBias},
        new int[] {dw});
    int pwKernel =
        model.constant(name + "/pointwise/kernel", new int[] {d, 1, 1, d}, w.pointwise());
    int pwBias = model.constant(name + "/pointwise/bias", new int[] {d}, w.pointwiseBias());
    int pw = model.activation(name + "/pointwise", shape);
    Conv2DOptionsT pwo = new Conv2DOptionsT();
    pwo.setPadding(Padding.VALID);
    pwo.setStrideH(1);
    pwo.setStrideW(1);
    pwo.setDilationHFactor(1);
    pwo.setDilationWFactor(1);
    pwo.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(
        BuiltinOperator.CONV_2D,
        BuiltinOptions.Conv2DOptions,
        pwo,
        new int[] {dw, pwKernel, pwBias},
        new int[] {pw});
    return ops.add(name + "/out", x, pw);
  }

  private static String shapeText(int[] shape) {
    return java.util.Arrays.toString(shape);
  }
}
