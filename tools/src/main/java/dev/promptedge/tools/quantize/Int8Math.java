package dev.promptedge.tools.quantize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.lite.schema.QuantizationParametersT;

/**
 * The int8 arithmetic of TFLite's quantization scheme: real = scale · (q − zero_point). Weights are
 * symmetric ([-127, 127], zero point 0, per output channel or per tensor), activations asymmetric
 * ([-128, 127], range widened to include 0), biases int32 with scale input·weight and zero point 0.
 * Stateless.
 */
final class Int8Math {

  /** Smallest range width a tensor gets, so that a constant-zero tensor still has a scale. */
  static final float MIN_RANGE = 1e-6f;

  private Int8Math() {}

  /** Affine int8 parameters: one scale and zero point per channel along {@code dimension}. */
  record Params(float[] scales, long[] zeroPoints, int dimension) {

    static Params perTensor(float scale, long zeroPoint) {
      return new Params(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    float scale() {
      return scales[0];
    }

    long zeroPoint() {
      return zeroPoints[0];
    }

    boolean sameAs(Params o) {
      return java.util.Arrays.equals(scales, o.scales)
          && java.util.Arrays.equals(zeroPoints, o.zeroPoints)
          && dimension == o.dimension;
    }

    QuantizationParametersT toSchema() {
      QuantizationParametersT q = new QuantizationParametersT();
      q.setScale(scales.clone());
      q.setZeroPoint(zeroPoints.clone());
      q.setQuantizedDimension(dimension);
      return q;
    }
  }

  /** Int8 data with its parameters. */
  record Quantized(byte[] data, Params params) {}

  /** Asymmetric activation parameters covering [min, max] widened to include 0. */
  static Params activation(float min, float max) {
    float lo = Math.min(0f, min);
    float hi = Math.max(0f, max);
    if (hi - lo < MIN_RANGE) {
      hi = lo + MIN_RANGE;
    }
    float scale = (hi - lo) / 255f;
    long zeroPoint = Math.round(-128 - lo / scale);
    return Params.perTensor(scale, Math.max(-128, Math.min(127, zeroPoint)));
  }

  /** A constant quantized asymmetrically with one scale covering its own values. */
  static Quantized constant(float[] values) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    Params p = activation(min, max);
    return new Quantized(quantize(values, p.scale(), p.zeroPoint()), p);
  }

  /**
   * Symmetric weights, one scale per slice along dimension 0 ({@code channels} slices) or one for
   * the whole tensor when {@code channels} is 1.
   */
  static Quantized symmetric(float[] values, int channels) {
    return symmetric(values, channels, false);
  }

  /**
   * Symmetric weights with one scale per channel of the last dimension ({@code channels} of them,
   * quantized dimension 3): the layout of DEPTHWISE_CONV_2D filters [1, kh, kw, C].
   */
  static Quantized symmetricLastAxis(float[] values, int channels) {
    return symmetric(values, channels, true);
  }

  private static Quantized symmetric(float[] values, int channels, boolean lastAxis) {
    if (lastAxis) {
      float[] absMax = new float[channels];
      for (int i = 0; i < values.length; i++) {
        absMax[i % channels] = Math.max(absMax[i % channels], Math.abs(values[i]));
      }
      float[] scales = new float[channels];
      for (int c = 0; c < channels; c++) {
        scales[c] = absMax[c] > 0 ? absMax[c] / 127f : 1f;
      }
      byte[] data = new byte[values.length];
      for (int i = 0; i < values.length; i++) {
        long q = Math.round(values[i] / scales[i % channels]);
        data[i] = (byte) Math.max(-127, Math.min(127, q));
      }
      return new Quantized(data, new Params(scales, new long[channels], 3));
    }
    int per = values.length / channels;
    float[] scales = new float[channels];
    byte[] data = new byte[values.length];
    for (int c = 0; c < channels; c++) {
      float absMax = 0;
      for (int i = c * per; i < (c + 1) * per; i++) {
        absMax = Math.max(absMax, Math.abs(values[i]));
      }
      float scale = absMax > 0 ? absMax / 127f : 1f;
      scales[c] = scale;
      for (int i = c * per; i < (c + 1) * per; i++) {
        data[i] = (byte) Math.max(-127, Math.min(127, Math.round(values[i] / scale)));
      }
    }
    return new Quantized(data, new Params(scales, new long[channels], 0));
  }

  /** {@code values} as int8 with {@code scale} and {@code zeroPoint}, saturated. */
  static byte[] quantize(float[] values, float scale, long zeroPoint) {
    byte[] data = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      long q = Math.round(values[i] / scale) + zeroPoint;
      data[i] = (byte) Math.max(-128, Math.min(127, q));
    }
    return data;
  }

  /**
   * An int32 bias for an int8 op with input scale {@code inputScale} and per-channel weight scales:
   * scale inputScale · weightScale[c], zero point 0, little-endian bytes.
   */
  static Quantized bias(float[] bias, float inputScale, float[] weightScales) {
    ByteBuffer bytes = ByteBuffer.allocate(bias.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    float[] scales = new float[weightScales.length];
    for (int c = 0; c < scales.length; c++) {
      scales[c] = inputScale * weightScales[c];
    }
    for (int c = 0; c < bias.length; c++) {
      long q = Math.round(bias[c] / (double) scales[scales.length == 1 ? 0 : c]);
      bytes.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)));
    }
    return new Quantized(bytes.array(), new Params(scales, new long[scales.length], 0));
  }
}
