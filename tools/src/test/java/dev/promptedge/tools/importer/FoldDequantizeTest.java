package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorType;

/** The arithmetic of folded DEQUANTIZE weights and of TF.js' float16 weights. */
class FoldDequantizeTest {

  @Test
  void halfPrecisionDecodesNormalsSubnormalsAndSpecials() {
    assertEquals(1.0f, TfjsWeights.half((short) 0x3c00));
    assertEquals(-2.0f, TfjsWeights.half((short) 0xc000));
    assertEquals(65504f, TfjsWeights.half((short) 0x7bff));
    assertEquals(0x1p-24f, TfjsWeights.half((short) 0x0001));
    assertEquals(0.333251953125f, TfjsWeights.half((short) 0x3555));
    assertEquals(Float.NEGATIVE_INFINITY, TfjsWeights.half((short) 0xfc00));
    assertTrue(Float.isNaN(TfjsWeights.half((short) 0x7e00)));
  }

  @Test
  void perChannelInt8UsesEachChannelsScaleAndZeroPoint() {
    // [2 channels, 3 values]: channel 0 scale 0.5 zero 1, channel 1 scale 0.25 zero -2.
    ImportGraph.Tensor t =
        new ImportGraph.Tensor(
            "w", TensorType.INT8, new int[] {2, 3}, new byte[] {1, 3, -1, -2, 2, 6});
    QuantizationParametersT q = new QuantizationParametersT();
    q.setScale(new float[] {0.5f, 0.25f});
    q.setZeroPoint(new long[] {1, -2});
    q.setQuantizedDimension(0);
    t.quantization = q;
    assertArrayEquals(new float[] {0f, 1f, -1f, 0f, 1f, 2f}, FoldDequantize.dequantize(t));
    q.setQuantizedDimension(1);
    t.shape = new int[] {3, 2};
    // Channel = column now: (1-1)*.5, (3+2)*.25, (-1-1)*.5, (-2+2)*.25, (2-1)*.5, (6+2)*.25
    assertArrayEquals(new float[] {0f, 1.25f, -1f, 0f, 0.5f, 2f}, FoldDequantize.dequantize(t));
  }

  @Test
  void foldsFloat16ConstantsAndRemovesTheOp() {
    ImportGraph g = TfliteSource.read(ThirdPartyTflite.build());
    int ops = g.ops.size();
    assertEquals(3, FoldDequantize.apply(g));
    assertEquals(ops - 3, g.ops.size());
    ImportGraph.Tensor w = g.tensor(g.find("conv1/w"));
    assertEquals(TensorType.FLOAT32, w.type);
    ImportGraph.Tensor stored = g.tensor(g.find("conv1/w_f16"));
    short first = ByteBuffer.wrap(stored.data).order(ByteOrder.LITTLE_ENDIAN).getShort();
    assertEquals(TfjsWeights.half(first), w.floats()[0]);
    ImportGraph.Tensor bad =
        new ImportGraph.Tensor("w", TensorType.INT16, new int[] {1}, new byte[2]);
    assertTrue(
        assertThrows(ImportException.class, () -> FoldDequantize.dequantize(bad))
            .getMessage()
            .contains("cannot fold"));
  }
}
