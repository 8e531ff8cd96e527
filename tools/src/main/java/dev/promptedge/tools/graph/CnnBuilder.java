package dev.promptedge.tools.graph;

import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;

/**
 * Writes a micro MobileNet-style CNN backbone with the {@code encode} contract of {@link
 * VitBuilder}: pixels [B, 32, 32, 3] and prompt [B, 1, P, 16] to features [B, 4, 4, 16]. The prompt
 * tokens are averaged and added to every feature cell (a learned per-task bias). It uses CONV_2D,
 * DEPTHWISE_CONV_2D, HARD_SWISH, fused RELU6, PAD, both poolings, RESIZE_BILINEAR, CONCATENATION
 * and MEAN, so it exercises the host engine's CNN kernels end to end. Seeded weights; stateless.
 */
public final class CnnBuilder {

  /** Input side in pixels. */
  public static final int INPUT = 32;

  /** Feature width D. */
  public static final int DIM = 16;

  /** Feature grid side. */
  public static final int GRID = 4;

  private static final int BATCH = -1;

  private final TfliteModelBuilder model = new TfliteModelBuilder("PromptEdge micro CNN backbone");
  private final Random random;

  private CnnBuilder(long seed) {
    this.random = new Random(seed);
  }

  /** Writes the CNN with {@code promptTokens} prompt tokens and weights seeded by {@code seed}. */
  public static byte[] build(int promptTokens, long seed) {
    if (promptTokens < 1) {
      throw new IllegalArgumentException("promptTokens must be positive, was " + promptTokens);
    }
    return new CnnBuilder(seed).write(promptTokens);
  }

  private byte[] write(int p) {
    int pixels = model.activation(VitBuilder.PIXELS, BATCH, INPUT, INPUT, 3);
    int prompt = model.activation(VitBuilder.PROMPT, BATCH, 1, p, DIM);

    int x = conv("stem", pixels, 3, 8, 3, 2, Padding.SAME, ActivationFunctionType.RELU6, 16);
    x = depthwise("dw1", x, 8, 1, Padding.SAME, 16);
    x = unary("dw1/hard_swish", BuiltinOperator.HARD_SWISH, x, 16, 8);
    x = conv("pw1", x, 8, DIM, 1, 1, Padding.VALID, ActivationFunctionType.RELU6, 16);
    int paddings =
        model.constantInt32("pad/paddings", new int[] {4, 2}, new int[] {0, 0, 1, 1, 1, 1, 0, 0});
    int padded = model.activation("pad", BATCH, 18, 18, DIM);
    model.operator(
        BuiltinOperator.PAD,
        BuiltinOptions.PadOptions,
        new PadOptionsT(),
        new int[] {x, paddings},
        new int[] {padded});
    x = depthwise("dw2", padded, DIM, 2, Padding.VALID, 8);

    int avg = pool("avg", BuiltinOperator.AVERAGE_POOL_2D, x, 2, 2, Padding.VALID, GRID);
    int max = pool("max", BuiltinOperator.MAX_POOL_2D, x, 3, 2, Padding.SAME, GRID);
    int coarse = pool("coarse", BuiltinOperator.AVERAGE_POOL_2D, x, 4, 4, Padding.VALID, 2);
    int size = model.vectorInt32("coarse/up/size", GRID, GRID);
    int up = model.activation("coarse/up", BATCH, GRID, GRID, DIM);
    ResizeBilinearOptionsT resize = new ResizeBilinearOptionsT();
    resize.setHalfPixelCenters(true);
    model.operator(
        BuiltinOperator.RESIZE_BILINEAR,
        BuiltinOptions.ResizeBilinearOptions,
        resize,
        new int[] {coarse, size},
        new int[] {up});
    int joined = model.activation("joined", BATCH, GRID, GRID, 3 * DIM);
    ConcatenationOptionsT concat = new ConcatenationOptionsT();
    concat.setAxis(3);
    model.operator(
        BuiltinOperator.CONCATENATION,
        BuiltinOptions.ConcatenationOptions,
        concat,
        new int[] {avg, max, up},
        new int[] {joined});
    x = conv("mix", joined, 3 * DIM, DIM, 1, 1, Padding.VALID, ActivationFunctionType.NONE, GRID);

    int axes = model.vectorInt32("prompt/mean/axes", 1, 2);
    int pooled = model.activation("prompt/mean", BATCH, DIM);
    ReducerOptionsT mean = new ReducerOptionsT();
    mean.setKeepDims(false);
    model.operator(
        BuiltinOperator.MEAN,
        BuiltinOptions.ReducerOptions,
        mean,
        new int[] {prompt, axes},
        new int[] {pooled});
    int[] target = {BATCH, 1, 1, DIM};
    int shape = model.vectorInt32("prompt/bias/shape", target);
    int bias = model.activation("prompt/bias", target);
    ReshapeOptionsT reshape = new ReshapeOptionsT();
    reshape.setNewShape(target);
    model.operator(
        BuiltinOperator.RESHAPE,
        BuiltinOptions.ReshapeOptions,
        reshape,
        new int[] {pooled, shape},
        new int[] {bias});
    int features = model.activation(VitBuilder.FEATURES, BATCH, GRID, GRID, DIM);
    AddOptionsT add = new AddOptionsT();
    model.operator(
        BuiltinOperator.ADD,
        BuiltinOptions.AddOptions,
        add,
        new int[] {x, bias},
        new int[] {features});
    return model
        .signatureKey(VitBuilder.SIGNATURE)
        .input(VitBuilder.PIXELS, pixels)
        .input(VitBuilder.PROMPT, prompt)
        .output(VitBuilder.FEATURES, features)
        .build();
  }

  private int conv(
      String name, int x, int in, int out, int k, int stride, byte padding, byte act, int side) {
    int w = weights(name + "/kernel", 1 / Math.sqrt(k * k * in), out, k, k, in);
    int b = weights(name + "/bias", 0.1, out);
    int y = model.activation(name, BATCH, side, side, out);
    Conv2DOptionsT o = new Conv2DOptionsT();
    o.setPadding(padding);
    o.setStrideH(stride);
    o.setStrideW(stride);
    o.setDilationHFactor(1);
    o.setDilationWFactor(1);
    o.setFusedActivationFunction(act);
    model.operator(
        BuiltinOperator.CONV_2D,
        BuiltinOptions.Conv2DOptions,
        o,
        new int[] {x, w, b},
        new int[] {y});
    return y;
  }

  private int depthwise(String name, int x, int channels, int stride, byte padding, int side) {
    int w = weights(name + "/kernel", 1 / 3.0, 1, 3, 3, channels);
    int b = weights(name + "/bias", 0.1, channels);
    int y = model.activation(name, BATCH, side, side, channels);
    DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
    o.setPadding(padding);
    o.setStrideH(stride);
    o.setStrideW(stride);
    o.setDepthMultiplier(1);
    o.setDilationHFactor(1);
    o.setDilationWFactor(1);
    o.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(
        BuiltinOperator.DEPTHWISE_CONV_2D,
        BuiltinOptions.DepthwiseConv2DOptions,
        o,
        new int[] {x, w, b},
        new int[] {y});
    return y;
  }

  private int pool(String name, int op, int x, int k, int stride, byte padding, int side) {
    int y = model.activation(name, BATCH, side, side, DIM);
    Pool2DOptionsT o = new Pool2DOptionsT();
    o.setPadding(padding);
    o.setFilterHeight(k);
    o.setFilterWidth(k);
    o.setStrideH(stride);
    o.setStrideW(stride);
    o.setFusedActivationFunction(ActivationFunctionType.NONE);
    model.operator(op, BuiltinOptions.Pool2DOptions, o, new int[] {x}, new int[] {y});
    return y;
  }

  private int unary(String name, int op, int x, int side, int channels) {
    int y = model.activation(name, BATCH, side, side, channels);
    model.operator(op, BuiltinOptions.NONE, null, new int[] {x}, new int[] {y});
    return y;
  }

  private int weights(String name, double std, int... shape) {
    int size = 1;
    for (int d : shape) {
      size *= d;
    }
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) (random.nextGaussian() * std);
    }
    return model.constant(name, shape, values);
  }
}
