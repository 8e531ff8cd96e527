package dev.promptedge.tools.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.graph.CnnFiles;
import dev.promptedge.tools.graph.VitBuilder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both quantized forms of the micro CNN ({@code CnnBuilder}: CONV_2D, DEPTHWISE_CONV_2D,
 * HARD_SWISH, fused RELU6, PAD, both poolings, RESIZE_BILINEAR, CONCATENATION, MEAN, RESHAPE, ADD)
 * in the real 2.6.2 interpreter, opened through the runtime's {@code Backbone} with a dynamic
 * batch.
 */
class CnnQuantizationTest {

  @TempDir Path dir;

  /**
   * Measured (seed 11, P 4, held-out seeds 9000..): 7,296 / 9,692 B = 0.753; cosine mean 0.99995,
   * min 0.99993; max abs 0.0067 of features up to 0.57. 2.6.2's hybrid DEPTHWISE_CONV_2D honours
   * per-channel scales (quantized dimension 3). The CNN's weights are only ~5.6 KB of float, so
   * names and shapes keep the ratio near 3/4.
   */
  @Test
  void dynamicRangeCnnRunsThroughTheRuntimeWithSmallDrift() throws Exception {
    CardFile card = cnn();
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    QuantizedModel dynamic = Quantizer.dynamicRange(floatModel);

    assertEquals(Precision.INT8_DYNAMIC, dynamic.precision());
    assertEquals(5, dynamic.int8Ops().size(), dynamic.int8Ops().toString());
    assertEquals(
        2,
        dynamic.int8Ops().stream().filter(op -> op.startsWith("DEPTHWISE_CONV_2D ")).count(),
        dynamic.int8Ops().toString());
    assertTrue(dynamic.size() < 0.8 * floatModel.length, dynamic.size() + "/" + floatModel.length);
    Drift drift = drift(card, floatModel, dynamic);
    assertTrue(drift.minCosine() >= 0.9995, drift.toString());
    assertTrue(drift.maxAbsError() <= 0.03, drift.toString());
    QuantizeFixtures.openedByTheRuntime(card, dynamic, "dynamic");
  }

  /**
   * Measured: every one of the 15 ops runs int8, nothing stays float; cosine mean 0.99972, min
   * 0.99961; max abs 0.0165 of features up to 0.57. Size 9,808 / 9,692 B = 1.01: on a model this
   * small the int32 biases, per-channel scales and zero points (int64 in the schema) and the
   * QUANTIZE/DEQUANTIZE tensors outweigh the 4x smaller weights.
   */
  @Test
  void fullIntegerCnnRunsEveryOpInt8ThroughTheRuntime() throws Exception {
    CardFile card = cnn();
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    QuantizedModel full =
        Quantizer.fullInteger(
            floatModel, QuantizeFixtures.calibration(card), QuantizeFixtures.CONFIG);

    assertEquals(Precision.INT8_FULL, full.precision());
    assertEquals(List.of(), full.floatOps());
    for (String kind :
        List.of(
            "CONV_2D",
            "DEPTHWISE_CONV_2D",
            "HARD_SWISH",
            "PAD",
            "AVERAGE_POOL_2D",
            "MAX_POOL_2D",
            "RESIZE_BILINEAR",
            "CONCATENATION",
            "MEAN",
            "RESHAPE",
            "ADD")) {
      assertTrue(
          full.int8Ops().stream().anyMatch(op -> op.startsWith(kind + " ")), kind + " runs int8");
    }
    assertTrue(full.size() < 1.1 * floatModel.length, full.size() + "/" + floatModel.length);
    Drift drift = drift(card, floatModel, full);
    assertTrue(drift.minCosine() >= 0.998, drift.toString());
    assertTrue(drift.maxAbsError() <= 0.06, drift.toString());
    QuantizeFixtures.openedByTheRuntime(card, full, "int8");
  }

  private CardFile cnn() throws Exception {
    return CnnFiles.writeCnn(dir, "cnn", 4, 11, QuantizeFixtures.PROVENANCE);
  }

  private static Drift drift(CardFile card, byte[] floatModel, QuantizedModel quantized) {
    return Drift.measure(
        floatModel,
        quantized.bytes(),
        VitBuilder.SIGNATURE,
        VitBuilder.FEATURES,
        QuantizeFixtures.heldOut(card),
        QuantizeFixtures.CONFIG);
  }
}
