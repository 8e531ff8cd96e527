package dev.promptedge.tools.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.graph.TfliteModelBuilder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * Operators and options the builders' models do not reach, one TFLite op per model, each compared
 * with ONNX Runtime at batch 1 and 3.
 */
class OnnxOpParityTest {

  private static final String KEY = "serving_default";

  @Test
  void divWithFusedRelu() throws Exception {
    OneOp m = new OneOp();
    int a = m.input("a", -1, 4, 6);
    int b = m.positive("b", 6);
    DivOptionsT o = new DivOptionsT();
    o.setFusedActivationFunction(ActivationFunctionType.RELU);
    check(m.op(BuiltinOperator.DIV, BuiltinOptions.DivOptions, o, new int[] {-1, 4, 6}, a, b));
  }

  @Test
  void addWithFusedRelu6AndReluN1To1() throws Exception {
    for (byte activation :
        new byte[] {ActivationFunctionType.RELU6, ActivationFunctionType.RELU_N1_TO_1}) {
      OneOp m = new OneOp();
      int a = m.input("a", -1, 3, 1, 5);
      int b = m.input("b", -1, 1, 2, 5);
      AddOptionsT o = new AddOptionsT();
      o.setFusedActivationFunction(activation);
      check(m.op(BuiltinOperator.ADD, BuiltinOptions.AddOptions, o, new int[] {-1, 3, 2, 5}, a, b));
    }
  }

  @Test
  void squaredDifference() throws Exception {
    OneOp m = new OneOp();
    int a = m.input("a", -1, 4, 6);
    int b = m.weights("b", 4, 1);
    check(
        m.op(
            BuiltinOperator.SQUARED_DIFFERENCE,
            BuiltinOptions.NONE,
            null,
            new int[] {-1, 4, 6},
            a,
            b));
  }

  @Test
  void unaryActivations() throws Exception {
    for (int op :
        new int[] {
          BuiltinOperator.TANH,
          BuiltinOperator.RELU,
          BuiltinOperator.RELU6,
          BuiltinOperator.RELU_N1_TO_1,
          BuiltinOperator.HARD_SWISH,
          BuiltinOperator.LOGISTIC
        }) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 7, 3);
      check(m.op(op, BuiltinOptions.NONE, null, new int[] {-1, 7, 3}, x));
    }
  }

  @Test
  void softmaxWithBeta() throws Exception {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 3, 9);
    SoftmaxOptionsT o = new SoftmaxOptionsT();
    o.setBeta(2.5f);
    check(m.op(BuiltinOperator.SOFTMAX, BuiltinOptions.SoftmaxOptions, o, new int[] {-1, 3, 9}, x));
  }

  @Test
  void batchMatMulWithBothAdjoints() throws Exception {
    OneOp m = new OneOp();
    int a = m.input("a", -1, 2, 5, 4);
    int b = m.input("b", -1, 2, 3, 5);
    BatchMatMulOptionsT o = new BatchMatMulOptionsT();
    o.setAdjX(true);
    o.setAdjY(true);
    check(
        m.op(
            BuiltinOperator.BATCH_MATMUL,
            BuiltinOptions.BatchMatMulOptions,
            o,
            new int[] {-1, 2, 4, 3},
            a,
            b));
  }

  @Test
  void fullyConnectedFlatteningWithoutBiasAndFusedRelu() throws Exception {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 3, 8);
    int w = m.weights("w", 5, 8);
    FullyConnectedOptionsT o = new FullyConnectedOptionsT();
    o.setKeepNumDims(false);
    o.setFusedActivationFunction(ActivationFunctionType.RELU);
    check(
        m.op(
            BuiltinOperator.FULLY_CONNECTED,
            BuiltinOptions.FullyConnectedOptions,
            o,
            new int[] {-1, 5},
            x,
            w,
            -1));
  }

  @Test
  void resizeBilinearAlignCornersAndAsymmetric() throws Exception {
    for (boolean alignCorners : new boolean[] {true, false}) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 3, 5, 2);
      int size = m.model.vectorInt32("size", 7, 4);
      ResizeBilinearOptionsT o = new ResizeBilinearOptionsT();
      o.setAlignCorners(alignCorners);
      check(
          m.op(
              BuiltinOperator.RESIZE_BILINEAR,
              BuiltinOptions.ResizeBilinearOptions,
              o,
              new int[] {-1, 7, 4, 2},
              x,
              size));
    }
  }

  @Test
  void stridedSliceWithNegativeBoundsStepsAndShrink() throws Exception {
    OneOp m = new OneOp();
    int x = m.input("x", -1, 6, 5);
    int begin = m.model.vectorInt32("begin", 0, 1, -1);
    int end = m.model.vectorInt32("end", 0, -1, 0);
    int strides = m.model.vectorInt32("strides", 1, 2, 1);
    StridedSliceOptionsT o = new StridedSliceOptionsT();
    o.setBeginMask(0b001);
    o.setEndMask(0b001);
    o.setShrinkAxisMask(0b100);
    check(
        m.op(
            BuiltinOperator.STRIDED_SLICE,
            BuiltinOptions.StridedSliceOptions,
            o,
            new int[] {-1, 2},
            x,
            begin,
            end,
            strides));
  }

  private static void check(byte[] model) throws Exception {
    for (int batch : new int[] {1, 3}) {
      double error = Parity.check(model, KEY, batch, 23);
      assertTrue(error <= Parity.TOLERANCE, "error " + error);
    }
  }

  /** A one-operator model: signature inputs, constants, then the op writing output "out". */
  static final class OneOp {

    final TfliteModelBuilder model = new TfliteModelBuilder("one op");
    private final Random random = new Random(5);

    int input(String name, int... shape) {
      int index = model.activation(name, shape);
      model.input(name, index);
      return index;
    }

    int weights(String name, int... shape) {
      return model.constant(name, shape, values(shape, 0));
    }

    /** A constant with values in [0.5, 1.5), safe to divide by. */
    int positive(String name, int... shape) {
      return model.constant(name, shape, values(shape, 1));
    }

    private float[] values(int[] shape, double offset) {
      int size = 1;
      for (int d : shape) {
        size *= d;
      }
      float[] values = new float[size];
      for (int i = 0; i < size; i++) {
        values[i] =
            (float) (offset == 0 ? random.nextGaussian() : offset + random.nextDouble() - 0.5);
      }
      return values;
    }

    byte[] op(int opcode, byte optionsType, Object options, int[] outShape, int... inputs) {
      int out = model.activation("out", outShape);
      model.operator(opcode, optionsType, options, inputs, new int[] {out});
      model.output("out", out);
      return model.build();
    }
  }
}
