package dev.promptedge.runtime.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;

/**
 * Spatial operators on NHWC tensors: CONV_2D, DEPTHWISE_CONV_2D, both poolings and RESIZE_BILINEAR.
 * ONNX runs them on NCHW, so each is wrapped in a Transpose pair (ONNX Runtime cancels back-to-back
 * pairs) and constant kernels are stored in ONNX's OIHW order. TFLite's SAME padding puts the odd
 * pixel at the end, which is ONNX's SAME_UPPER. Stateless.
 */
final class ImageOps {

  private static final int[] OHWI_TO_OIHW = {0, 3, 1, 2};
  private static final int[] DEPTHWISE_TO_OIHW = {3, 0, 1, 2};

  private ImageOps() {}

  static void conv2d(SourceOp op, OnnxGraph g) {
    Conv2DOptionsT o = op.options(Conv2DOptionsT.class, new Conv2DOptionsT());
    int[] kernel = g.source().staticShape(op.input(1));
    int[] in = g.source().shape(op.input(0));
    long group = in[3] > 0 ? in[3] / kernel[3] : 1;
    convolution(
        op,
        g,
        OHWI_TO_OIHW,
        o.getFusedActivationFunction(),
        OnnxGraph.ints("kernel_shape", kernel[1], kernel[2]),
        OnnxGraph.ints("strides", o.getStrideH(), o.getStrideW()),
        OnnxGraph.ints("dilations", o.getDilationHFactor(), o.getDilationWFactor()),
        autoPad(op, g, o.getPadding()),
        OnnxGraph.integer("group", group));
  }

  /** DEPTHWISE_CONV_2D as a grouped Conv: kernel [1, kh, kw, C·M] becomes [C·M, 1, kh, kw]. */
  static void depthwiseConv2d(SourceOp op, OnnxGraph g) {
    DepthwiseConv2DOptionsT o =
        op.options(DepthwiseConv2DOptionsT.class, new DepthwiseConv2DOptionsT());
    int[] kernel = g.source().staticShape(op.input(1));
    int channels = g.source().shape(op.input(0))[3];
    if (channels <= 0) {
      throw Conversions.refuse(op, g, "the input's channel count must be static");
    }
    convolution(
        op,
        g,
        DEPTHWISE_TO_OIHW,
        o.getFusedActivationFunction(),
        OnnxGraph.ints("kernel_shape", kernel[1], kernel[2]),
        OnnxGraph.ints("strides", o.getStrideH(), o.getStrideW()),
        OnnxGraph.ints("dilations", o.getDilationHFactor(), o.getDilationWFactor()),
        autoPad(op, g, o.getPadding()),
        OnnxGraph.integer("group", channels));
  }

  private static void convolution(
      SourceOp op, OnnxGraph g, int[] toOihw, byte activation, AttributeProto... attributes) {
    SourceModel source = g.source();
    String out = g.output(op.output());
    int weight = op.input(1);
    String w;
    if (source.isConstant(weight)) {
      w = g.constant(weight, toOihw, source.name(weight) + "/oihw");
    } else {
      w = Conversions.transpose(g, g.value(weight), toOihw, out + "/weight_oihw");
    }
    List<String> inputs = new ArrayList<>(List.of(nchw(g, op, out), w));
    if (op.input(2) >= 0) {
      inputs.add(g.value(op.input(2)));
    }
    String y = g.temp("Conv", inputs, out + "/nchw", attributes);
    nhwc(g, op, activation, y);
  }

  static void averagePool(SourceOp op, OnnxGraph g) {
    pool(op, g, "AveragePool");
  }

  static void maxPool(SourceOp op, OnnxGraph g) {
    pool(op, g, "MaxPool");
  }

  /** A pooling; AveragePool's default count_include_pad=0 matches TFLite's SAME averaging. */
  private static void pool(SourceOp op, OnnxGraph g, String onnxOp) {
    Pool2DOptionsT o = op.options(Pool2DOptionsT.class, new Pool2DOptionsT());
    String out = g.output(op.output());
    String y =
        g.temp(
            onnxOp,
            List.of(nchw(g, op, out)),
            out + "/nchw",
            OnnxGraph.ints("kernel_shape", o.getFilterHeight(), o.getFilterWidth()),
            OnnxGraph.ints("strides", o.getStrideH(), o.getStrideW()),
            autoPad(op, g, o.getPadding()));
    nhwc(g, op, o.getFusedActivationFunction(), y);
  }

  /**
   * RESIZE_BILINEAR to the constant size [H', W']: Resize (linear) to sizes [N, C, H', W'] built
   * from the input's dynamic shape; align_corners, half_pixel_centers or neither (asymmetric).
   */
  static void resizeBilinear(SourceOp op, OnnxGraph g) {
    ResizeBilinearOptionsT o =
        op.options(ResizeBilinearOptionsT.class, new ResizeBilinearOptionsT());
    if (o.getAlignCorners() && o.getHalfPixelCenters()) {
      throw Conversions.refuse(op, g, "align_corners and half_pixel_centers are both set");
    }
    String mode =
        o.getAlignCorners()
            ? "align_corners"
            : o.getHalfPixelCenters() ? "half_pixel" : "asymmetric";
    int[] size = Conversions.constantInts(op, g, 1, "the output size");
    String out = g.output(op.output());
    String x = nchw(g, op, out);
    String batchAndChannels =
        g.temp(
            "Shape",
            List.of(x),
            out + "/batch_channels",
            OnnxGraph.integer("start", 0),
            OnnxGraph.integer("end", 2));
    String sizes =
        g.temp(
            "Concat",
            List.of(batchAndChannels, g.int64s(out + "/size", size[0], size[1])),
            out + "/sizes",
            OnnxGraph.integer("axis", 0));
    String y =
        g.temp(
            "Resize",
            List.of(x, "", "", sizes),
            out + "/nchw",
            OnnxGraph.string("mode", "linear"),
            OnnxGraph.string("coordinate_transformation_mode", mode));
    nhwc(g, op, org.tensorflow.lite.schema.ActivationFunctionType.NONE, y);
  }

  private static String nchw(OnnxGraph g, SourceOp op, String out) {
    if (g.source().shape(op.input(0)).length != 4) {
      throw Conversions.refuse(op, g, "the input must be a 4-D NHWC tensor");
    }
    return Conversions.transpose(g, g.value(op.input(0)), Conversions.TO_NCHW, out + "/input_nchw");
  }

  /** Transposes the NCHW result back to the op's NHWC output, applying the fused activation. */
  private static void nhwc(OnnxGraph g, SourceOp op, byte activation, String y) {
    String pre = Conversions.preActivation(g, op, activation);
    g.node("Transpose", List.of(y), pre, OnnxGraph.ints("perm", Conversions.TO_NHWC));
    Conversions.activate(g, op, activation, pre);
  }

  private static AttributeProto autoPad(SourceOp op, OnnxGraph g, byte padding) {
    return switch (padding) {
      case Padding.SAME -> OnnxGraph.string("auto_pad", "SAME_UPPER");
      case Padding.VALID -> OnnxGraph.string("auto_pad", "VALID");
      default -> throw Conversions.refuse(op, g, "unknown padding " + padding);
    };
  }
}
