package dev.promptedge.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto.Dimension;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.TensorInfo;
import dev.promptedge.runtime.onnx.TfliteToOnnx;
import dev.promptedge.tools.graph.TfliteModelBuilder;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.GatherOptionsT;
import org.tensorflow.lite.schema.ModelT;

/** The converted model's contract (names, dynamic batch, opset) and the converter's refusals. */
class TfliteToOnnxTest {

  private static final Path DEMO = Path.of("..", "models", "demo");

  @Test
  void keepsSignatureNamesAndDynamicBatch() throws Exception {
    VitSpec spec = VitSpec.micro(true);
    ModelProto model =
        TfliteToOnnx.convert(VitBuilder.build(spec, VitWeights.random(spec, 1)), "encode");
    assertEquals(TfliteToOnnx.OPSET, model.getOpsetImport(0).getVersion());
    assertEquals("", model.getOpsetImport(0).getDomain());
    GraphProto graph = model.getGraph();
    assertEquals(
        List.of("pixels", "prompt"),
        graph.getInputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals(
        List.of("features"), graph.getOutputList().stream().map(ValueInfoProto::getName).toList());
    assertEquals("batch", dims(graph.getInput(0)).get(0).getDimParam());
    assertEquals(
        List.of(32L, 32L, 3L),
        dims(graph.getInput(0)).subList(1, 4).stream().map(Dimension::getDimValue).toList());
    assertEquals("batch", dims(graph.getOutput(0)).get(0).getDimParam());
    try (OrtRunner ort = new OrtRunner(model.toByteArray())) {
      TensorInfo pixels = (TensorInfo) ort.session().getInputInfo().get("pixels").getInfo();
      assertArrayEquals(new long[] {-1, 32, 32, 3}, pixels.getShape());
      TensorInfo prompt = (TensorInfo) ort.session().getInputInfo().get("prompt").getInfo();
      assertArrayEquals(new long[] {-1, 2, 4, 32}, prompt.getShape());
      TensorInfo features = (TensorInfo) ort.session().getOutputInfo().get("features").getInfo();
      assertArrayEquals(new long[] {-1, 4, 4, 32}, features.getShape());
    }
  }

  @Test
  void serializesAndParsesBackWithTheProjectsProtobuf() throws Exception {
    VitSpec spec = VitSpec.micro(false);
    ModelProto model =
        TfliteToOnnx.convert(VitBuilder.build(spec, VitWeights.random(spec, 2)), "encode");
    byte[] bytes = model.toByteArray();
    assertEquals(model, ModelProto.parseFrom(bytes));
    assertEquals("encode", model.getMetadataProps(0).getValue());
    assertEquals(TfliteToOnnx.IR_VERSION, ModelProto.parseFrom(bytes).getIrVersion());
  }

  @Test
  void layoutChangesOnlyAroundTheConvolution() {
    VitSpec spec = VitSpec.micro(false);
    GraphProto graph =
        TfliteToOnnx.convert(VitBuilder.build(spec, VitWeights.random(spec, 1)), "encode")
            .getGraph();
    long transposes =
        graph.getNodeList().stream().filter(n -> n.getOpType().equals("Transpose")).count();
    // One pair around the patch-embedding Conv; per block the 4 TFLite TRANSPOSEs (3 head splits,
    // 1 merge) and the adj_y of the attention scores.
    assertEquals(2 + 5 * spec.depth(), transposes);
  }

  @Test
  void refusesAnOperatorWithoutOnnxFormNamingOpAndTensor() {
    TfliteModelBuilder m = new TfliteModelBuilder("gather");
    int table = m.activation("table", -1, 5, 3);
    m.input("table", table);
    int indices = m.vectorInt32("indices", 0, 2);
    int out = m.activation("picked", -1, 2, 3);
    GatherOptionsT options = new GatherOptionsT();
    options.setAxis(1);
    m.operator(
        BuiltinOperator.GATHER,
        BuiltinOptions.GatherOptions,
        options,
        new int[] {table, indices},
        new int[] {out});
    byte[] model = m.output("picked", out).build();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> TfliteToOnnx.convert(model, "serving_default"));
    assertTrue(
        e.getMessage()
            .startsWith("operator 0 (GATHER, writing tensor 'picked') cannot be converted to ONNX"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("FULLY_CONNECTED"), "lists what it converts: " + e.getMessage());
  }

  @Test
  void refusesTheQuantizedModelNamingATensor() throws Exception {
    byte[] int8 = Files.readAllBytes(DEMO.resolve("demo-vit-int8.tflite"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TfliteToOnnx.convert(int8, "encode"));
    assertTrue(
        e.getMessage()
            .matches("tensor '.+' is quantized .+; the ONNX converter takes the float32 model.*"),
        e.getMessage());
  }

  @Test
  void refusesAMissingSignatureAndBytesThatAreNoModel() throws Exception {
    byte[] model = Files.readAllBytes(DEMO.resolve("demo-vit.tflite"));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> TfliteToOnnx.convert(model, "head"));
    assertEquals(
        "model has no signature 'head' (it has [encode]); pass one of those", missing.getMessage());
    for (byte[] bad :
        new byte[][] {new byte[0], "not a model at all".getBytes(), Arrays.copyOf(model, 4096)}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> TfliteToOnnx.convert(bad, "encode"));
      assertTrue(e.getMessage().startsWith("not a TFLite flatbuffer"), e.getMessage());
    }
  }

  @Test
  void refusesTamperedModelsWithOneMessage() {
    assertEquals(
        "malformed TFLite model: operator 0 refers to tensor 999 but the model has 4; re-export the"
            + " model",
        refusal(m -> m.getSubgraphs()[0].getOperators()[0].setInputs(new int[] {0, 999, 2})));
    assertEquals(
        "malformed TFLite model: constant 'w' of shape [5, 8] holds 12 bytes instead of 160;"
            + " re-export the model",
        refusal(m -> m.getBuffers()[1].setData(new int[12])));
    String missingWeight =
        refusal(m -> m.getSubgraphs()[0].getOperators()[0].setInputs(new int[] {0}));
    assertTrue(
        missingWeight.startsWith(
            "operator 0 (FULLY_CONNECTED, writing tensor 'y') cannot be converted to ONNX: its"
                + " operands or options do not fit the op"),
        missingWeight);
  }

  /** The converter's message for a one-FULLY_CONNECTED model after {@code tamper}. */
  private static String refusal(java.util.function.Consumer<ModelT> tamper) {
    TfliteModelBuilder b = new TfliteModelBuilder("fc");
    int x = b.activation("x", -1, 8);
    b.input("x", x);
    int w = b.constant("w", new int[] {5, 8}, new float[40]);
    int bias = b.constant("bias", new int[] {5}, new float[5]);
    int y = b.activation("y", -1, 5);
    b.operator(
        BuiltinOperator.FULLY_CONNECTED,
        BuiltinOptions.FullyConnectedOptions,
        new FullyConnectedOptionsT(),
        new int[] {x, w, bias},
        new int[] {y});
    ModelT model = ModelT.deserializeFromBinary(b.output("y", y).build());
    tamper.accept(model);
    byte[] bytes = model.serializeToBinary();
    return assertThrows(
            IllegalArgumentException.class, () -> TfliteToOnnx.convert(bytes, "serving_default"))
        .getMessage();
  }

  private static List<Dimension> dims(ValueInfoProto value) {
    return value.getType().getTensorType().getShape().getDimList();
  }
}
