package dev.promptedge.tools.importer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DequantizeOptionsT;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Builds, with the TFLite schema API, a .tflite shaped like the ones model zoos ship (no real one
 * is reachable offline): no signature defs, a fixed batch of 1, conv weights stored as float16 and
 * as int8 behind DEQUANTIZE ops, and a custom decoder op at the end that only the device vendor's
 * runtime knows. Input "image" [1,32,32,3]; blocks at strides 2, 4 and 8.
 */
public final class ThirdPartyTflite {

  private ThirdPartyTflite() {}

  public static byte[] build() {
    return build(TensorType.FLOAT32);
  }

  /** The same model with an input of {@code inputType} (e.g. UINT8, as quantized zoos ship). */
  static byte[] build(byte inputType) {
    Random r = new Random(9);
    ImportGraph g = new ImportGraph();
    int image = g.add(new ImportGraph.Tensor("image", inputType, new int[] {1, 32, 32, 3}, null));
    g.inputs.put("image", image);
    int w1 =
        dequantized(g, halfWeights(g, "conv1/w_f16", new int[] {8, 3, 3, 3}, r), "conv1/w", 8, 3);
    int b1 = g.constant("conv1/b", new int[] {8}, gaussian(r, 8));
    int block1 =
        conv(g, image, w1, b1, "block1", new int[] {1, 16, 16, 8}, ActivationFunctionType.RELU);
    int w2 =
        dequantized(g, int8Weights(g, "conv2/w_i8", new int[] {16, 3, 3, 8}, r), "conv2/w", 16, 8);
    int b2 = g.constant("conv2/b", new int[] {16}, gaussian(r, 16));
    int block2 =
        conv(g, block1, w2, b2, "block2", new int[] {1, 8, 8, 16}, ActivationFunctionType.RELU6);
    int w3 =
        dequantized(
            g, halfWeights(g, "conv3/w_f16", new int[] {16, 3, 3, 16}, r), "conv3/w", 16, 16);
    int b3 = g.constant("conv3/b", new int[] {16}, gaussian(r, 16));
    int block3 =
        conv(g, block2, w3, b3, "block3", new int[] {1, 4, 4, 16}, ActivationFunctionType.NONE);
    int decoded = g.activation("decoded", 1, 8, 8, 16);
    g.op(BuiltinOperator.CUSTOM, BuiltinOptions.NONE, null, new int[] {block3}, decoded)
            .customCode =
        "VendorDecoder";
    g.outputs.put("decoded", decoded);
    ModelT model = ModelT.deserializeFromBinary(g.serialize("unused", "zoo model"));
    model.setSignatureDefs(new SignatureDefT[0]);
    return model.serializeToBinary();
  }

  private static int conv(ImportGraph g, int in, int w, int b, String name, int[] shape, byte act) {
    Conv2DOptionsT o = new Conv2DOptionsT();
    o.setPadding(Padding.SAME);
    o.setStrideH(2);
    o.setStrideW(2);
    o.setDilationHFactor(1);
    o.setDilationWFactor(1);
    o.setFusedActivationFunction(act);
    int out = g.activation(name, shape);
    g.op(BuiltinOperator.CONV_2D, BuiltinOptions.Conv2DOptions, o, new int[] {in, w, b}, out);
    return out;
  }

  private static int dequantized(ImportGraph g, int stored, String name, int out, int in) {
    int w = g.activation(name, out, 3, 3, in);
    g.op(
        BuiltinOperator.DEQUANTIZE,
        BuiltinOptions.DequantizeOptions,
        new DequantizeOptionsT(),
        new int[] {stored},
        w);
    return w;
  }

  private static int halfWeights(ImportGraph g, String name, int[] shape, Random r) {
    int n = Arrays4.size(shape);
    ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      // A half with a random sign, exponent 11..14 (0.0156..0.25) and random mantissa.
      int bits = (r.nextBoolean() ? 0x8000 : 0) | ((11 + r.nextInt(4)) << 10) | r.nextInt(1024);
      b.putShort((short) bits);
    }
    return g.add(new ImportGraph.Tensor(name, TensorType.FLOAT16, shape, b.array()));
  }

  private static int int8Weights(ImportGraph g, String name, int[] shape, Random r) {
    int n = Arrays4.size(shape);
    byte[] q = new byte[n];
    for (int i = 0; i < n; i++) {
      q[i] = (byte) (r.nextInt(255) - 127);
    }
    ImportGraph.Tensor t = new ImportGraph.Tensor(name, TensorType.INT8, shape, q);
    QuantizationParametersT p = new QuantizationParametersT();
    // One scale and zero point for the tensor: the 2.6.2 interpreter's DEQUANTIZE leaves the
    // output of a per-channel int8 constant all zeros (checked here), so a per-channel original
    // could not serve as the reference; FoldDequantizeTest covers the per-channel arithmetic.
    float[] scales = {0.004f};
    long[] zeros = {-1};
    p.setScale(scales);
    p.setZeroPoint(zeros);
    p.setQuantizedDimension(0);
    t.quantization = p;
    return g.add(t);
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * 0.1);
    }
    return v;
  }
}
