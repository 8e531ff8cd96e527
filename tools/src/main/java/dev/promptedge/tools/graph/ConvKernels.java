package dev.promptedge.tools.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;

/**
 * CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D and MAX_POOL_2D on NHWC arrays: the kernels run
 * PyTorch's NCHW operators on a permuted view and permute back. SAME padding is split as TFLite
 * splits it (the odd pixel goes after), so asymmetric padding is applied explicitly; average
 * pooling divides by the number of real (unpadded) pixels in each window, max pooling ignores
 * padding.
 */
final class ConvKernels {

  private ConvKernels() {}

  static Kernel compile(KernelContext c) {
    switch (c.node().opcode()) {
      case BuiltinOperator.CONV_2D:
        return conv(c, false);
      case BuiltinOperator.DEPTHWISE_CONV_2D:
        return conv(c, true);
      case BuiltinOperator.AVERAGE_POOL_2D:
      case BuiltinOperator.MAX_POOL_2D:
        return pool(c, c.node().opcode() == BuiltinOperator.MAX_POOL_2D);
      default:
        throw c.unsupported("not a convolution or pooling operator");
    }
  }

  /** TFLite's padding {before, after} of one spatial axis. */
  static int[] padding(boolean same, int in, int kernel, int stride, int dilation) {
    if (!same) {
      return new int[] {0, 0};
    }
    int effective = (kernel - 1) * dilation + 1;
    int out = (in + stride - 1) / stride;
    int total = Math.max((out - 1) * stride + effective - in, 0);
    return new int[] {total / 2, total - total / 2};
  }

  private static Kernel conv(KernelContext c, boolean depthwise) {
    byte padding;
    int sh;
    int sw;
    int dh;
    int dw;
    byte activation;
    if (depthwise) {
      DepthwiseConv2DOptionsT o = (DepthwiseConv2DOptionsT) c.node().options();
      padding = o.getPadding();
      sh = o.getStrideH();
      sw = o.getStrideW();
      dh = o.getDilationHFactor();
      dw = o.getDilationWFactor();
      activation = o.getFusedActivationFunction();
    } else {
      Conv2DOptionsT o = (Conv2DOptionsT) c.node().options();
      padding = o.getPadding();
      sh = o.getStrideH();
      sw = o.getStrideW();
      dh = o.getDilationHFactor();
      dw = o.getDilationWFactor();
      activation = o.getFusedActivationFunction();
    }
    boolean same = samePadding(c, padding);
    int[] filter = c.inputShape(1);
    int kh = filter[1];
    int kw = filter[2];
    int strideH = Math.max(sh, 1);
    int strideW = Math.max(sw, 1);
    int dilationH = Math.max(dh, 1);
    int dilationW = Math.max(dw, 1);
    boolean hasBias = c.hasInput(2);
    Shape stride = new Shape(strideH, strideW);
    Shape dilation = new Shape(dilationH, dilationW);
    Kernel kernel =
        in -> {
          NDArray x = in[0].transpose(0, 3, 1, 2);
          long[] shape = in[0].getShape().getShape();
          int[] ph = padding(same, (int) shape[1], kh, strideH, dilationH);
          int[] pw = padding(same, (int) shape[2], kw, strideW, dilationW);
          Shape pad = new Shape(0, 0);
          if (ph[0] == ph[1] && pw[0] == pw[1]) {
            pad = new Shape(ph[0], pw[0]);
          } else {
            x = x.pad(new Shape(pw[0], pw[1], ph[0], ph[1]), 0);
          }
          // OHWI -> OIHW; depthwise [1, kh, kw, C*m] -> [C*m, 1, kh, kw], one group per channel.
          NDArray weight = depthwise ? in[1].transpose(3, 0, 1, 2) : in[1].transpose(0, 3, 1, 2);
          int groups = 1;
          if (depthwise) {
            groups = (int) weight.getShape().get(0);
            long channels = shape[3];
            if (groups != channels) {
              // Depth multiplier m > 1: repeat each input channel m times (output channel c*m+j
              // reads input channel c) and convolve one channel per group. PyTorch's CPU grouped
              // convolution with m outputs per group gives wrong results on some AVX-512 machines.
              long m = groups / channels;
              Shape s = x.getShape();
              x =
                  x.expandDims(2)
                      .broadcast(new Shape(s.get(0), channels, m, s.get(2), s.get(3)))
                      .reshape(new Shape(s.get(0), channels * m, s.get(2), s.get(3)));
            }
          }
          NDArray bias =
              hasBias
                  ? in[2]
                  : in[0]
                      .getManager()
                      .zeros(new Shape(weight.getShape().get(0)), in[0].getDataType());
          NDArray y =
              x.getNDArrayInternal()
                  .convolution(x, weight, bias, stride, pad, dilation, groups)
                  .singletonOrThrow();
          return y.transpose(0, 2, 3, 1);
        };
    return Kernels.fused(c, activation, kernel);
  }

  private static Kernel pool(KernelContext c, boolean max) {
    Pool2DOptionsT o = (Pool2DOptionsT) c.node().options();
    boolean same = samePadding(c, o.getPadding());
    int kh = o.getFilterHeight();
    int kw = o.getFilterWidth();
    int strideH = Math.max(o.getStrideH(), 1);
    int strideW = Math.max(o.getStrideW(), 1);
    Shape window = new Shape(kh, kw);
    Shape stride = new Shape(strideH, strideW);
    Shape none = new Shape(0, 0);
    Kernel kernel =
        in -> {
          NDArray x = in[0].transpose(0, 3, 1, 2);
          long[] shape = in[0].getShape().getShape();
          int[] ph = padding(same, (int) shape[1], kh, strideH, 1);
          int[] pw = padding(same, (int) shape[2], kw, strideW, 1);
          boolean padded = ph[0] + ph[1] + pw[0] + pw[1] > 0;
          Shape pad = new Shape(pw[0], pw[1], ph[0], ph[1]);
          NDArray y;
          if (max) {
            NDArray source = padded ? x.pad(pad, Double.NEGATIVE_INFINITY) : x;
            y = source.getNDArrayInternal().maxPool(window, stride, none, false);
          } else if (!padded) {
            y = x.getNDArrayInternal().avgPool(window, stride, none, false, true);
          } else {
            NDArray sums =
                x.pad(pad, 0).getNDArrayInternal().avgPool(window, stride, none, false, true);
            NDArray ones =
                x.getManager()
                    .ones(new Shape(1, 1, shape[1], shape[2]), x.getDataType())
                    .pad(pad, 0);
            NDArray counts = ones.getNDArrayInternal().avgPool(window, stride, none, false, true);
            y = sums.div(counts);
          }
          return y.transpose(0, 2, 3, 1);
        };
    return Kernels.fused(c, o.getFusedActivationFunction(), kernel);
  }

  private static boolean samePadding(KernelContext c, byte padding) {
    if (padding == Padding.SAME) {
      return true;
    }
    if (padding == Padding.VALID) {
      return false;
    }
    throw c.unsupported("padding " + padding + " is neither SAME nor VALID");
  }
}
