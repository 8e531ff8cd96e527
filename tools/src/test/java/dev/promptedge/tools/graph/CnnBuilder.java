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

  /**
   * Writes the promptable variant (contract v2): inputs {@value #PIXELS}, {@value #PIXEL_PROMPT}
   * [B, 32, 32, 3] added to the pixels right after the input, and {@value #SCALE_SHIFT} [B, 2, 8]
   * whose rows scale and shift the output of block {@value #SCALE_SHIFT_AFTER} (explicit MUL and
   * ADD); output {@value #FEATURES_S8} [B, 4, 4, 16]. Same layers and weights as {@link #build} for
   * the same seed, without the token bias.
   */
  public static byte[] buildPromptable(long seed) {
    return new CnnBuilder(seed).writePromptable();
  }

  /** Signature input of the pixels. */
  public static final String PIXELS = VitBuilder.PIXELS;

  /** PIXEL prompt input of the promptable variant. */
  public static final String PIXEL_PROMPT = "pixel_prompt";

  /** CHANNEL_SCALE_SHIFT prompt input of the promptable variant. */
  public static final String SCALE_SHIFT = "scale_shift_0";

  /** The tensor {@value #SCALE_SHIFT} scales and shifts. */
  public static final String SCALE_SHIFT_AFTER = "dw1/hard_swish";

  /** Channels of the block output {@value #SCALE_SHIFT} scales and shifts. */
  public static final int SCALE_SHIFT_CHANNELS = 8;

  /** Feature output of the promptable variant: stride 8, 16 channels, 4 × 4 cells. */
  public static final String FEATURES_S8 = "features_s8";

  /** Second feature output of the promptable variant: 2 × 2 average of {@value #FEATURES_S8}. */
  public static final String FEATURES_S16 = "features_s16";

  private byte[] writePromptable() {
    GraphOps ops = new GraphOps(model);
    int pixels = model.activation(PIXELS, BATCH, INPUT, INPUT, 3);
    int pixelPrompt = model.activation(PIXEL_PROMPT, BATCH, INPUT, INPUT, 3);
    int scaleShift = model.activation(SCALE_SHIFT, BATCH, 2, SCALE_SHIFT_CHANNELS);
    int prompted = ops.add("pixels/prompted", pixels, pixelPrompt);
    int x = trunk(prompted, ops, scaleShift);
    int features =
        conv(FEATURES_S8, x, 3 * DIM, DIM, 1, 1, Padding.VALID, ActivationFunctionType.NONE, GRID);
    int coarse =
        pool(FEATURES_S16, BuiltinOperator.AVERAGE_POOL_2D, features, 2, 2, Padding.VALID, 2);
    return model
        .signatureKey(VitBuilder.SIGNATURE)
        .input(PIXELS, pixels)
        .input(PIXEL_PROMPT, pixelPrompt)
        .input(SCALE_SHIFT, scaleShift)
        .output(FEATURES_S8, features)
        .output(FEATURES_S16, coarse)
        .build();
  }

  /** {@code x * gamma + beta} with gamma, beta rows 0 and 1 of {@code scaleShift} [B, 2, C]. */
  private int scaleShift(GraphOps ops, int x, int scaleShift, int channels) {
    int c = channels;
    int gamma =
        ops.stridedSlice(
            SCALE_SHIFT + "/gamma",
            scaleShift,
            new int[] {0, 0, 0},
            new int[] {0, 1, 0},
            0b101,
            0b101,
            0,
            new int[] {BATCH, 1, c});
    int beta =
        ops.stridedSlice(
            SCALE_SHIFT + "/beta",
            scaleShift,
            new int[] {0, 1, 0},
            new int[] {0, 2, 0},
            0b101,
            0b101,
            0,
            new int[] {BATCH, 1, c});
    int g = ops.reshape(SCALE_SHIFT + "/gamma/cells", gamma, BATCH, 1, 1, c);
    int b = ops.reshape(SCALE_SHIFT + "/beta/cells", beta, BATCH, 1, 1, c);
    int scaled = ops.mul(SCALE_SHIFT_AFTER + "/scaled", x, g);
    return ops.add(SCALE_SHIFT_AFTER + "/shifted", scaled, b);
  }

  private byte[] write(int p) {
    int pixels = model.activation(VitBuilder.PIXELS, BATCH, INPUT, INPUT, 3);
    int prompt = model.activation(VitBuilder.PROMPT, BATCH, 1, p, DIM);
    int x = trunk(pixels, null, -1);
    x = conv("mix", x, 3 * DIM, DIM, 1, 1, Padding.VALID, ActivationFunctionType.NONE, GRID);
    return tokenBias(x, prompt, pixels);
  }

  /**
   * The layers from the input to the joined pools [B, 4, 4, 48]; with {@code ops}, the output of
   * {@value #SCALE_SHIFT_AFTER} is scaled and shifted by {@code scaleShift}.
   */
  private int trunk(int pixels, GraphOps ops, int scaleShift) {
    int x = conv("stem", pixels, 3, 8, 3, 2, Padding.SAME, ActivationFunctionType.RELU6, 16);
    x = depthwise("dw1", x, 8, 1, Padding.SAME, 16);
    x = unary("dw1/hard_swish", BuiltinOperator.HARD_SWISH, x, 16, 8);
    if (ops != null) {
      x = scaleShift(ops, x, scaleShift, SCALE_SHIFT_CHANNELS);
    }
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
    return joined;
  }

  /** Adds the mean prompt token to every cell of {@code x}: the v1 CNN's features. */
  private byte[] tokenBias(int x, int prompt, int pixels) {
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
