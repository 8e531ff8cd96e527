package dev.promptedge.runtime.onnx;

import java.util.Arrays;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * The affine quantization of one int8 tensor or int32 constant (real = scale · (q − zero point)):
 * one scale and zero point per tensor, or one per index of {@code axis} (per-channel weights).
 *
 * @param int8 true for int8 values, false for int32 (biases, whose zero point is 0)
 * @param scales positive and finite, one per tensor or per channel
 * @param zeroPoints as many as scales, within the value type's range
 * @param axis the channel axis when per-channel, else 0
 */
record Quantization(boolean int8, float[] scales, long[] zeroPoints, int axis) {

  boolean perChannel() {
    return scales.length > 1;
  }

  /**
   * The quantization of {@code t}, {@code null} for a float32 tensor or a plain int32 constant.
   *
   * @throws IllegalArgumentException for another type, an int8 tensor without quantization, or
   *     scales and zero points that do not fit the tensor
   */
  static Quantization of(TensorT t, boolean constant) {
    QuantizationParametersT q = t.getQuantization();
    boolean quantized = q != null && q.getScale() != null && q.getScale().length > 0;
    byte type = t.getType();
    if (!quantized) {
      if (type == TensorType.FLOAT32 || (constant && type == TensorType.INT32)) {
        return null;
      }
      throw refuse(t, "is " + TensorType.name(type) + " without scale and zero point");
    }
    if (type != TensorType.INT8 && !(constant && type == TensorType.INT32)) {
      throw refuse(
          t,
          "is quantized "
              + TensorType.name(type)
              + "; the converter takes int8 tensors and int32 constant biases");
    }
    float[] scales = q.getScale().clone();
    long[] zeroPoints = q.getZeroPoint() == null ? new long[0] : q.getZeroPoint().clone();
    if (zeroPoints.length != scales.length) {
      throw refuse(t, "has " + scales.length + " scales but " + zeroPoints.length + " zero points");
    }
    int axis = scales.length > 1 ? q.getQuantizedDimension() : 0;
    int[] shape = t.getShape();
    if (scales.length > 1 && (axis < 0 || axis >= shape.length || shape[axis] != scales.length)) {
      throw refuse(
          t,
          "has "
              + scales.length
              + " scales on axis "
              + axis
              + " of shape "
              + Arrays.toString(shape));
    }
    boolean int8 = type == TensorType.INT8;
    for (int i = 0; i < scales.length; i++) {
      if (!(scales[i] > 0) || !Float.isFinite(scales[i])) {
        throw refuse(t, "has scale " + scales[i] + "; scales must be positive and finite");
      }
      long z = zeroPoints[i];
      if (int8 ? z < -128 || z > 127 : z != 0) {
        throw refuse(t, "has zero point " + z + " outside its type");
      }
    }
    return new Quantization(int8, scales, zeroPoints, axis);
  }

  private static IllegalArgumentException refuse(TensorT t, String why) {
    return new IllegalArgumentException(
        "tensor '" + t.getName() + "' " + why + "; re-quantize the model with promptedge");
  }
}
