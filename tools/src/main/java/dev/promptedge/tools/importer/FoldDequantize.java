package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Replaces each DEQUANTIZE of a constant (float16, or int8/uint8 with scales and zero points, per
 * tensor or per channel) by the float32 constant it computes, as models from the wild store their
 * weights. Returns how many it folded.
 */
final class FoldDequantize {

  private FoldDequantize() {}

  static int apply(ImportGraph g) {
    int folded = 0;
    for (Iterator<ImportGraph.Op> it = g.ops.iterator(); it.hasNext(); ) {
      ImportGraph.Op op = it.next();
      if (op.opcode != BuiltinOperator.DEQUANTIZE || !g.tensor(op.inputs[0]).isConstant()) {
        continue;
      }
      ImportGraph.Tensor in = g.tensor(op.inputs[0]);
      ImportGraph.Tensor out = g.tensor(op.outputs[0]);
      float[] values = dequantize(in);
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      out.data = b.array();
      out.type = TensorType.FLOAT32;
      out.quantization = null;
      it.remove();
      folded++;
    }
    return folded;
  }

  static float[] dequantize(ImportGraph.Tensor t) {
    ByteBuffer data = ByteBuffer.wrap(t.data).order(ByteOrder.LITTLE_ENDIAN);
    if (t.type == TensorType.FLOAT16) {
      float[] out = new float[t.data.length / 2];
      for (int i = 0; i < out.length; i++) {
        out[i] = TfjsWeights.half(data.getShort());
      }
      return out;
    }
    if (t.type != TensorType.INT8 && t.type != TensorType.UINT8) {
      throw new ImportException(
          "DEQUANTIZE reads constant "
              + t
              + ", which the importer cannot fold (it folds float16,"
              + " int8 and uint8 weights)");
    }
    QuantizationParametersT q = t.quantization;
    if (q == null || q.getScale() == null || q.getScale().length == 0) {
      throw new ImportException("DEQUANTIZE reads " + t + " without scales; the model is broken");
    }
    float[] scale = q.getScale();
    long[] zero = q.getZeroPoint() == null ? new long[scale.length] : q.getZeroPoint();
    int axis = q.getQuantizedDimension();
    int[] strides = RowMajor.strides(t.shape);
    float[] out = new float[t.data.length];
    for (int i = 0; i < out.length; i++) {
      int channel = scale.length == 1 ? 0 : (i / strides[axis]) % t.shape[axis];
      int value = t.type == TensorType.INT8 ? t.data[i] : t.data[i] & 0xff;
      out[i] = (value - zero[Math.min(channel, zero.length - 1)]) * scale[channel];
    }
    return out;
  }
}
