package dev.promptedge.runtime.tflite;

import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * What {@link ModelVerifier} accepts for one kind of model: the operators, the one signature, and
 * bounds on tensor shapes and on the memory the declared tensors need. The names in the signature
 * are the card's business: {@code HeadModel} and {@code Backbone} check them against it.
 *
 * @param kind what the model is, for messages ("head", "backbone")
 * @param operators allowed builtin operators ({@code BuiltinOperator} codes)
 * @param signatureKey the one signature the model must have
 * @param maxRank largest tensor rank
 * @param maxDimension largest single dimension
 * @param maxArenaBytes cap on the sum of the bytes of all non-constant tensors
 */
public record ModelLimits(
    String kind,
    Set<Integer> operators,
    String signatureKey,
    int maxRank,
    int maxDimension,
    long maxArenaBytes) {

  /**
   * Operators a head may use: what the head writer emits (per-cell linear map, pooled linear, and
   * the conv head's depthwise-separable residual blocks with fused RELU6).
   */
  static final Set<Integer> HEAD_OPERATORS =
      Set.of(
          BuiltinOperator.RESHAPE,
          BuiltinOperator.FULLY_CONNECTED,
          BuiltinOperator.MEAN,
          BuiltinOperator.DEPTHWISE_CONV_2D,
          BuiltinOperator.CONV_2D,
          BuiltinOperator.ADD);

  /** Operators a backbone may use: what the ViT, CNN and quantizing writers emit. */
  static final Set<Integer> BACKBONE_OPERATORS =
      Set.of(
          BuiltinOperator.ADD,
          BuiltinOperator.AVERAGE_POOL_2D,
          BuiltinOperator.BATCH_MATMUL,
          BuiltinOperator.CONCATENATION,
          BuiltinOperator.CONV_2D,
          BuiltinOperator.DEPTHWISE_CONV_2D,
          BuiltinOperator.DEQUANTIZE,
          BuiltinOperator.DIV,
          BuiltinOperator.FULLY_CONNECTED,
          BuiltinOperator.HARD_SWISH,
          BuiltinOperator.LOGISTIC,
          BuiltinOperator.MAX_POOL_2D,
          BuiltinOperator.MEAN,
          BuiltinOperator.MUL,
          BuiltinOperator.PAD,
          BuiltinOperator.QUANTIZE,
          BuiltinOperator.RELU,
          BuiltinOperator.RELU6,
          BuiltinOperator.RESHAPE,
          BuiltinOperator.RESIZE_BILINEAR,
          BuiltinOperator.RSQRT,
          BuiltinOperator.SOFTMAX,
          BuiltinOperator.SQUARED_DIFFERENCE,
          BuiltinOperator.STRIDED_SLICE,
          BuiltinOperator.SUB,
          BuiltinOperator.TANH,
          BuiltinOperator.TRANSPOSE);

  /** Cap on a head's non-constant tensors: heads are kilobytes, their activations a few MB. */
  public static final long HEAD_ARENA_BYTES = 8L << 20;

  public ModelLimits {
    operators = Set.copyOf(operators);
  }

  /** A bundle head: signature {@code head}. */
  public static ModelLimits head() {
    return new ModelLimits("head", HEAD_OPERATORS, "head", 5, 1 << 16, HEAD_ARENA_BYTES);
  }

  /** A backbone with signature {@code key}, under an arena cap of {@code maxArenaBytes}. */
  public static ModelLimits backbone(String key, long maxArenaBytes) {
    return new ModelLimits("backbone", BACKBONE_OPERATORS, key, 6, 1 << 16, maxArenaBytes);
  }
}
