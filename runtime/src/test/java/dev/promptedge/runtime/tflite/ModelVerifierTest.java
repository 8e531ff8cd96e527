package dev.promptedge.runtime.tflite;

import static dev.promptedge.runtime.tflite.HostileModels.changed;
import static dev.promptedge.runtime.tflite.HostileModels.detect;
import static dev.promptedge.runtime.tflite.HostileModels.head;
import static dev.promptedge.runtime.tflite.HostileModels.patchedInt;
import static dev.promptedge.runtime.tflite.HostileModels.tensor;
import static dev.promptedge.runtime.tflite.HostileModels.verifyHead;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.fuzz.Mutator;
import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorType;

/** {@link ModelVerifier} on real heads and backbones and on hostile flatbuffers made from them. */
class ModelVerifierTest {

  private static ModelCheckException refused(byte[] model, Reason reason, String... words) {
    ModelCheckException e = assertThrows(ModelCheckException.class, () -> verifyHead(model));
    assertEquals(reason, e.reason(), e::getMessage);
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), () -> "'" + word + "' not in: " + e.getMessage());
    }
    return e;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"fashion-detect.bundle", "fashion-segment.bundle", "golden-detect.bundle"})
  void realHeadsAreAccepted(String bundle) throws Exception {
    assertDoesNotThrow(() -> verifyHead(head(bundle)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo-vit", "demo-vit-int8", "demo-vit-deep", "demo-vit-deep-int8"})
  void committedDemoBackbonesAreAccepted(String name) throws Exception {
    // The demo backbones are committed at the repository root; the tests run in runtime/.
    byte[] model = Files.readAllBytes(Path.of("..", "models", "demo", name + ".tflite"));
    ModelLimits limits = ModelLimits.backbone("encode", 1L << 30);
    assertDoesNotThrow(() -> ModelVerifier.verify(ByteBuffer.wrap(model), limits));
    ModelCheckException asHead =
        assertThrows(
            ModelCheckException.class,
            () -> ModelVerifier.verify(ByteBuffer.wrap(model), ModelLimits.head()));
    assertEquals(Reason.SIGNATURE, asHead.reason(), asHead::getMessage);
    assertTrue(asHead.getMessage().contains("no signature 'head' (it has [encode])"));
    ModelLimits headOperators =
        new ModelLimits("head", ModelLimits.HEAD_OPERATORS, "encode", 6, 1 << 16, 1L << 30);
    ModelCheckException e =
        assertThrows(
            ModelCheckException.class,
            () -> ModelVerifier.verify(ByteBuffer.wrap(model), headOperators));
    assertEquals(Reason.UNSUPPORTED, e.reason(), e::getMessage);
    assertTrue(e.getMessage().contains("is not among the operators a head may use"), e::getMessage);
  }

  @Test
  void aBlownUpDimensionIsRefusedBeforeAnyAllocation() throws Exception {
    // The crash of issue 13: a dimension of 8 read as 16,711,688 (0x00FF0008).
    byte[] model = changed(detect(), m -> tensor(m, 2).getShape()[1] = 16_711_688);
    refused(model, Reason.INCONSISTENT, "tensor 2 'tokens'", "16711688", "between 1 and 65536");
    byte[] large =
        changed(
            detect(),
            m -> {
              tensor(m, 2).getShape()[1] = 60_000;
              tensor(m, 2).getShapeSignature()[1] = 60_000;
            });
    refused(large, Reason.TOO_LARGE, "tensor 2 'tokens'", "[1, 60000, 96]", "8 MiB");
  }

  @Test
  void aDimensionThatNoLongerFollowsFromTheInputsIsRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m -> {
              tensor(m, 5).getShape()[1] = 65;
              tensor(m, 5).getShapeSignature()[1] = 65;
            });
    refused(model, Reason.INCONSISTENT, "operator 1 (FULLY_CONNECTED)", "'logits'", "[1, 65, 15]");
  }

  @Test
  void aWeightBufferShorterThanItsShapeIsRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m -> {
              BufferT weights = m.getBuffers()[(int) tensor(m, 3).getBuffer()];
              weights.setData(Arrays.copyOf(weights.getData(), 5756));
            });
    refused(model, Reason.INCONSISTENT, "'logits/weight'", "5760", "5756");
  }

  @Test
  void weightsThatDoNotMatchTheInputAreRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m -> {
              tensor(m, 3).setShape(new int[] {16, 90});
              tensor(m, 3).setShapeSignature(new int[] {16, 90});
            });
    refused(model, Reason.INCONSISTENT, "operator 1 (FULLY_CONNECTED)", "[16, 90]");
  }

  @Test
  void aReshapeToAnotherElementCountIsRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m -> {
              // The target [-1, 64, 96] as unsigned bytes: its second value becomes 63.
              BufferT target = m.getBuffers()[(int) tensor(m, 1).getBuffer()];
              target.getData()[4] = 63;
            });
    refused(model, Reason.INCONSISTENT, "operator 0 (RESHAPE)", "element counts differ");
  }

  @Test
  void aTensorIndexOutOfRangeIsRefused() throws Exception {
    byte[] model =
        changed(detect(), m -> m.getSubgraphs()[0].getOperators()[1].getInputs()[1] = 99);
    refused(model, Reason.INCONSISTENT, "operator 1 (FULLY_CONNECTED) input 1", "tensor 99");
  }

  @Test
  void anAbsentInputIsRefusedWhereItIsNotOptional() throws Exception {
    byte[] model =
        changed(detect(), m -> m.getSubgraphs()[0].getOperators()[1].getInputs()[1] = -1);
    refused(model, Reason.INCONSISTENT, "has no input 1");
  }

  @Test
  void anOperatorOutsideTheAllowListIsRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m -> {
              m.getOperatorCodes()[1].setBuiltinCode(BuiltinOperator.SOFTMAX);
              m.getOperatorCodes()[1].setDeprecatedBuiltinCode((byte) BuiltinOperator.SOFTMAX);
            });
    refused(
        model,
        Reason.UNSUPPORTED,
        "operator 1 (SOFTMAX)",
        "ADD, CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, MEAN, RESHAPE");
  }

  @Test
  void anOpcodeIndexOutOfRangeIsRefused() throws Exception {
    byte[] model = changed(detect(), m -> m.getSubgraphs()[0].getOperators()[2].setOpcodeIndex(7));
    refused(model, Reason.INCONSISTENT, "operator 2 names operator code 7");
  }

  @Test
  void optionsOfTheWrongTypeAreRefused() throws Exception {
    byte[] model =
        changed(
            detect(),
            m ->
                m.getSubgraphs()[0].getOperators()[1].setBuiltinOptions(
                    m.getSubgraphs()[0].getOperators()[0].getBuiltinOptions()));
    refused(model, Reason.INCONSISTENT, "operator 1", "FullyConnectedOptions");
  }

  @Test
  void aWrongSignatureIsRefused() throws Exception {
    refused(
        changed(detect(), m -> m.getSignatureDefs()[0].setSignatureKey("serving_default")),
        Reason.SIGNATURE,
        "'head'",
        "serving_default");
    refused(
        changed(detect(), m -> m.getSignatureDefs()[0].getOutputs()[0].setTensorIndex(5)),
        Reason.SIGNATURE,
        "outputs=5");
  }

  @Test
  void quantizationThatDoesNotFitTheTensorIsRefused() throws Exception {
    QuantizationParametersT q = new QuantizationParametersT();
    q.setScale(new float[] {0.1f, 0.2f, 0.3f});
    q.setZeroPoint(new long[] {0, 0, 0});
    byte[] model = changed(detect(), m -> tensor(m, 3).setQuantization(q));
    refused(model, Reason.INCONSISTENT, "3 quantization scales", "15 channels");
    byte[] int8WithoutScale = changed(detect(), m -> tensor(m, 5).setType(TensorType.INT8));
    refused(int8WithoutScale, Reason.INCONSISTENT, "'logits'", "no quantization scale");
  }

  @Test
  void offsetsOutOfBoundsAreRefused() throws Exception {
    byte[] head = detect();
    refused(patchedInt(head, 0, 0x7fff_fff0), Reason.MALFORMED, "Model table at offset");
    int root = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    refused(patchedInt(head, root, -0x10_0000), Reason.MALFORMED, "vtable out of bounds");
    int weights = indexOfInt(head, 5760);
    refused(patchedInt(head, weights, 0x7fff_ffff), Reason.MALFORMED, "runs past the end");
    // Byte 6608 holds a uoffset of tensor 6's table; 0 would point at itself (the FlatBuffers
    // verifier of the interpreter refuses it, so must this one). Found by the mutation sweep.
    assertEquals(4, ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(6608));
    refused(patchedInt(head, 6608, 0), Reason.MALFORMED, "points outside the model");
  }

  @Test
  void aStringWithoutItsTerminatorIsRefused() throws Exception {
    byte[] head = detect();
    int name = indexOf(head, "logits/weight");
    byte[] model = head.clone();
    model[name + "logits/weight".length()] = 'x';
    refused(model, Reason.MALFORMED, "unended");
  }

  @Test
  void everyTruncationIsRefusedAsAModelCheck() throws Exception {
    byte[] head = detect();
    for (int length = 0; length < head.length; length++) {
      byte[] prefix = Arrays.copyOf(head, length);
      assertThrows(ModelCheckException.class, () -> verifyHead(prefix), "length " + length);
    }
  }

  @Test
  void mutantsOfARealBackboneOnlyEverGiveModelCheckException() throws Exception {
    byte[] model = Files.readAllBytes(Path.of("..", "models", "demo", "demo-vit-int8.tflite"));
    ModelLimits limits = ModelLimits.backbone("encode", 1L << 30);
    int n =
        Mutator.run(
            List.of(model),
            5,
            200,
            ModelCheckException.class,
            bytes -> ModelVerifier.verify(ByteBuffer.wrap(bytes), limits));
    assertEquals(202, n);
  }

  @Test
  void theArenaCapCountsEveryComputedTensor() throws Exception {
    ModelLimits small =
        new ModelLimits("head", ModelLimits.HEAD_OPERATORS, "head", 5, 1 << 16, 30_000);
    // features 24,576 + tokens 24,576 + logits 3,840 + outputs 3,840 bytes; constants excluded.
    ModelCheckException e =
        assertThrows(
            ModelCheckException.class,
            () -> ModelVerifier.verify(ByteBuffer.wrap(detect()), small));
    assertEquals(Reason.TOO_LARGE, e.reason());
    assertTrue(e.getMessage().contains("need 56832 bytes"), e::getMessage);
  }

  private static int indexOfInt(byte[] data, int value) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= data.length; i += 4) {
      if (b.getInt(i) == value) {
        return i;
      }
    }
    throw new AssertionError("no int " + value);
  }

  private static int indexOf(byte[] data, String text) {
    byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i + needle.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("no string " + text);
  }
}
