package dev.promptedge.runtime.tflite;

import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import dev.promptedge.runtime.tflite.ModelGraph.Quantization;
import dev.promptedge.runtime.tflite.ModelGraph.Tensor;
import java.util.Arrays;
import org.tensorflow.lite.schema.TensorType;

/**
 * The checks of one tensor on its own: a type this runtime runs, a bounded shape, a shape signature
 * that only frees dimensions, a constant buffer of exactly the bytes the shape needs, and
 * quantization parameters that fit the tensor.
 */
final class TensorChecks {

  private TensorChecks() {}

  /** Bytes of one element of {@code type}, or -1 for a type the verifier does not accept. */
  static int elementSize(byte type) {
    return switch (type) {
      case TensorType.FLOAT32, TensorType.INT32 -> 4;
      case TensorType.INT64 -> 8;
      case TensorType.FLOAT16, TensorType.INT16 -> 2;
      case TensorType.UINT8, TensorType.INT8, TensorType.BOOL -> 1;
      default -> -1;
    };
  }

  static String typeName(byte type) {
    return type >= 0 && type < TensorType.names.length
        ? TensorType.name(type)
        : "type " + Byte.toUnsignedInt(type);
  }

  /** Elements of a shape already checked by {@link #check} (so the product fits a long). */
  static long elements(int[] shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** Bytes the tensor needs, for a tensor already checked by {@link #check}. */
  static long bytes(Tensor t) {
    return elements(t.shape()) * elementSize(t.type());
  }

  static void check(Tensor t, ModelLimits limits) {
    int size = elementSize(t.type());
    if (size < 0) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED, t.label() + " has " + typeName(t.type()) + ", which is not run here");
    }
    if (t.variable() || t.sparse()) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED, t.label() + " is a variable or sparse tensor, which is not run here");
    }
    int[] shape = t.shape();
    if (shape.length > limits.maxRank()) {
      throw inconsistent(t, "has rank " + shape.length + ", more than " + limits.maxRank());
    }
    long elements = 1;
    long maxElements = limits.maxArenaBytes() / size;
    for (int d : shape) {
      if (d < 1 || d > limits.maxDimension()) {
        throw inconsistent(
            t,
            "has shape "
                + Arrays.toString(shape)
                + ": every dimension must be between 1 and "
                + limits.maxDimension());
      }
      elements *= d;
      if (elements > maxElements) {
        throw new ModelCheckException(
            Reason.TOO_LARGE,
            t.label()
                + " has shape "
                + Arrays.toString(shape)
                + ": more than "
                + (limits.maxArenaBytes() >> 20)
                + " MiB, the cap for a "
                + limits.kind());
      }
    }
    int[] signature = t.shapeSignature();
    if (signature.length > 0) {
      boolean matches = signature.length == shape.length;
      for (int i = 0; matches && i < shape.length; i++) {
        matches = signature[i] == shape[i] || (signature[i] == -1 && shape[i] == 1);
      }
      if (!matches) {
        throw inconsistent(
            t,
            "has shape "
                + Arrays.toString(shape)
                + " but shape signature "
                + Arrays.toString(signature)
                + ": a signature may only mark a dimension of 1 as free (-1)");
      }
    }
    if (t.constant() && t.data().capacity() != elements * size) {
      throw inconsistent(
          t,
          "is "
              + typeName(t.type())
              + " "
              + Arrays.toString(shape)
              + " and needs "
              + elements * size
              + " bytes but its buffer "
              + t.buffer()
              + " holds "
              + t.data().capacity());
    }
    if (t.constant() && t.type() == TensorType.FLOAT32) {
      var values = t.data().asFloatBuffer();
      for (int i = 0; i < values.limit(); i++) {
        if (!Float.isFinite(values.get(i))) {
          throw inconsistent(
              t, "holds " + values.get(i) + " at element " + i + "; constants must be finite");
        }
      }
    }
    quantization(t);
  }

  private static void quantization(Tensor t) {
    Quantization q = t.quantization();
    int scales = q.scale().length;
    boolean quantizedType =
        t.type() == TensorType.INT8 || t.type() == TensorType.UINT8 || t.type() == TensorType.INT16;
    if (q.detailsType() != 0) {
      throw new ModelCheckException(
          Reason.UNSUPPORTED, t.label() + " has custom quantization details, not run here");
    }
    if (scales == 0) {
      if (q.zeroPoint().length != 0 || quantizedType) {
        throw inconsistent(
            t, "is " + typeName(t.type()) + " but has no quantization scale to go with it");
      }
      return;
    }
    if (q.zeroPoint().length != scales) {
      throw inconsistent(
          t, "has " + scales + " quantization scales but " + q.zeroPoint().length + " zero points");
    }
    int[] shape = t.shape();
    int axis = q.quantizedDimension();
    if (axis < 0 || (shape.length > 0 ? axis >= shape.length : axis != 0)) {
      throw inconsistent(t, "is quantized along dimension " + axis + " of " + shape.length);
    }
    if (scales != 1 && scales != shape[axis]) {
      throw inconsistent(
          t,
          "has "
              + scales
              + " quantization scales but dimension "
              + axis
              + " of "
              + Arrays.toString(shape)
              + " has "
              + shape[axis]
              + " channels");
    }
    if (q.minMax() > scales) {
      throw inconsistent(t, "has more min/max values than quantization scales");
    }
    long low =
        switch (t.type()) {
          case TensorType.INT8 -> -128;
          case TensorType.UINT8 -> 0;
          case TensorType.INT16 -> 0;
          default -> Integer.MIN_VALUE;
        };
    long high =
        switch (t.type()) {
          case TensorType.INT8 -> 127;
          case TensorType.UINT8 -> 255;
          case TensorType.INT16 -> 0;
          default -> Integer.MAX_VALUE;
        };
    for (int i = 0; i < scales; i++) {
      float s = q.scale()[i];
      if (!(s > 0) || Float.isInfinite(s)) {
        throw inconsistent(t, "has quantization scale " + s + "; scales must be finite and > 0");
      }
      long z = q.zeroPoint()[i];
      if (z < low || z > high) {
        throw inconsistent(
            t, "has zero point " + z + ", outside " + low + ".." + high + " of its type");
      }
    }
  }

  static ModelCheckException inconsistent(Tensor t, String what) {
    return new ModelCheckException(Reason.INCONSISTENT, t.label() + " " + what);
  }
}
