package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;

class TfliteModelBuilderTest {

  @Test
  void backboneFlatbufferFollowsTheSchemaRules() {
    VitSpec spec = VitSpec.micro(true);
    ModelT model = ModelT.deserializeFromBinary(VitBuilder.build(spec, VitWeights.random(spec, 1)));
    assertEquals(3, model.getVersion());
    assertEquals(0, model.getBuffers()[0].getData().length, "buffer 0 must be empty");
    int[] codes =
        Arrays.stream(model.getOperatorCodes()).mapToInt(OperatorCodeT::getBuiltinCode).toArray();
    assertEquals(codes.length, Arrays.stream(codes).distinct().count(), "opcodes are deduplicated");
    assertTrue(Arrays.stream(codes).noneMatch(c -> c == BuiltinOperator.GELU));
    for (OperatorCodeT code : model.getOperatorCodes()) {
      assertEquals(Math.min(code.getBuiltinCode(), 127), code.getDeprecatedBuiltinCode());
    }
    assertEquals(1, model.getSubgraphs().length);
    assertEquals(1, model.getSignatureDefs().length);
    assertEquals("encode", model.getSignatureDefs()[0].getSignatureKey());
  }

  @Test
  void duplicateTensorNamesAreRefused() {
    TfliteModelBuilder builder = new TfliteModelBuilder("t");
    builder.activation("x", -1, 2);
    var error = assertThrows(IllegalArgumentException.class, () -> builder.activation("x", 2));
    assertTrue(error.getMessage().contains("x"), error.getMessage());
  }

  @Test
  void constantWithWrongSizeNamesShapeAndCount() {
    TfliteModelBuilder builder = new TfliteModelBuilder("t");
    var error =
        assertThrows(
            IllegalArgumentException.class,
            () -> builder.constant("w", new int[] {2, 3}, new float[5]));
    assertTrue(
        error.getMessage().contains("[2, 3]") && error.getMessage().contains("5"),
        error.getMessage());
  }

  @Test
  void modelWithoutOutputsIsRefused() {
    TfliteModelBuilder builder = new TfliteModelBuilder("t");
    builder.input("x", builder.activation("x", -1, 2));
    assertThrows(IllegalStateException.class, builder::build);
  }
}
