package dev.promptedge.tools.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.ActivationFunctionType;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.DivOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.MulOptionsT;
import org.tensorflow.lite.schema.PadOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;
import org.tensorflow.lite.schema.SoftmaxOptionsT;
import org.tensorflow.lite.schema.SquaredDifferenceOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;
import org.tensorflow.lite.schema.SubOptionsT;
import org.tensorflow.lite.schema.TransposeOptionsT;

/** Every supported operator, one-op models, host engine vs the TFLite 2.6.2 interpreter. */
class OpParityTest {

  private static final byte[] ACTIVATIONS = {
    ActivationFunctionType.NONE,
    ActivationFunctionType.RELU,
    ActivationFunctionType.RELU6,
    ActivationFunctionType.RELU_N1_TO_1,
    ActivationFunctionType.TANH
  };

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void hostEngineMatchesInterpreter(String name, byte[] model, boolean positive) {
    int batch = 2;
    Map<String, float[]> inputs = Parity.randomInputs(model, OneOp.KEY, batch, name.hashCode());
    if (positive) {
      inputs
          .values()
          .forEach(
              v -> {
                for (int i = 0; i < v.length; i++) {
                  v[i] = Math.abs(v[i]) + 0.25f;
                }
              });
    } else {
      inputs
          .values()
          .forEach(
              v -> {
                for (int i = 0; i < v.length; i++) {
                  v[i] *= 3; // reach the clipping ranges of RELU6, RELU_N1_TO_1, HARD_SWISH
                }
              });
    }
    InterpreterParity.Result r = Parity.compare(model, OneOp.KEY, inputs, batch);
    System.out.printf(
        "op %-45s max abs error %.3g, scale %.3g%n", name, r.maxAbsError(), r.scale());
    assertTrue(r.relative() <= Parity.TOLERANCE, name + ": " + r);
  }

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    binary(all);
    unary(all);
    conv(all);
    pool(all);
    shape(all);
    matrix(all);
    resize(all);
    return all.stream();
  }

  private static void binary(List<Arguments> all) {
    int[][][] shapes = {
      {{-1, 3, 4, 5}, {-1, 3, 4, 5}},
      {{-1, 3, 4, 5}, {5}},
      {{-1, 1, 4, 1}, {-1, 3, 1, 5}},
      {{-1, 6}, {1}}
    };
    for (int[][] s : shapes) {
      for (byte act : ACTIVATIONS) {
        AddOptionsT o = new AddOptionsT();
        o.setFusedActivationFunction(act);
        all.add(binaryCase("ADD", BuiltinOperator.ADD, BuiltinOptions.AddOptions, o, s, act));
      }
      SubOptionsT sub = new SubOptionsT();
      sub.setFusedActivationFunction(ActivationFunctionType.RELU6);
      all.add(binaryCase("SUB", BuiltinOperator.SUB, BuiltinOptions.SubOptions, sub, s, (byte) 3));
      MulOptionsT mul = new MulOptionsT();
      mul.setFusedActivationFunction(ActivationFunctionType.RELU);
      all.add(binaryCase("MUL", BuiltinOperator.MUL, BuiltinOptions.MulOptions, mul, s, (byte) 1));
      all.add(
          binaryCase(
              "SQUARED_DIFFERENCE",
              BuiltinOperator.SQUARED_DIFFERENCE,
              BuiltinOptions.SquaredDifferenceOptions,
              new SquaredDifferenceOptionsT(),
              s,
              (byte) 0));
      if (s[1][0] != -1) {
        continue;
      }
      OneOp div = new OneOp();
      int a = div.input("a", s[0]);
      int b = div.input("b", s[1]);
      DivOptionsT d = new DivOptionsT();
      all.add(
          Arguments.of(
              "DIV " + shapes(s),
              div.op(BuiltinOperator.DIV, BuiltinOptions.DivOptions, d, s[0], a, b),
              true));
    }
    OneOp constant = new OneOp();
    int x = constant.input("x", -1, 4, 5);
    int w = constant.weights("w", 5);
    MulOptionsT m = new MulOptionsT();
    all.add(
        Arguments.of(
            "MUL by constant [5]",
            constant.op(
                BuiltinOperator.MUL, BuiltinOptions.MulOptions, m, new int[] {-1, 4, 5}, x, w),
            false));
  }

  private static Arguments binaryCase(
      String name, int opcode, byte type, Object options, int[][] s, byte act) {
    OneOp m = new OneOp();
    int a = m.input("a", s[0]);
    // the interpreter runner gives every input the run's batch: other shapes are constants
    int b = s[1][0] == -1 ? m.input("b", s[1]) : m.weights("b", s[1]);
    return Arguments.of(
        name + " " + shapes(s) + " " + ActivationFunctionType.name(act),
        m.op(opcode, type, options, s[0], a, b),
        false);
  }

  private static void unary(List<Arguments> all) {
    int[] ops = {
      BuiltinOperator.RELU,
      BuiltinOperator.RELU6,
      BuiltinOperator.HARD_SWISH,
      BuiltinOperator.LOGISTIC,
      BuiltinOperator.TANH,
      BuiltinOperator.RSQRT
    };
    for (int op : ops) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 3, 7);
      all.add(
          Arguments.of(
              TfliteGraph.opName(op),
              m.op(op, BuiltinOptions.NONE, null, new int[] {-1, 3, 7}, x),
              op == BuiltinOperator.RSQRT));
    }
  }

  private static void conv(List<Arguments> all) {
    // {h, w, cin, cout, k, stride, dilation, same, activation}
    int[][] cases = {
      {7, 9, 3, 4, 3, 1, 1, 1, 0},
      {8, 8, 3, 5, 3, 2, 1, 1, 1},
      {7, 7, 2, 4, 3, 2, 1, 1, 3},
      {11, 9, 3, 2, 5, 2, 1, 0, 0},
      {9, 9, 2, 3, 3, 1, 2, 1, 4},
      {6, 6, 4, 4, 1, 1, 1, 0, 2},
      {8, 7, 3, 4, 2, 2, 1, 1, 0},
      {10, 10, 3, 4, 4, 3, 1, 1, 0}
    };
    for (int[] c : cases) {
      Conv2DOptionsT o = new Conv2DOptionsT();
      o.setPadding(c[7] == 1 ? Padding.SAME : Padding.VALID);
      o.setStrideH(c[5]);
      o.setStrideW(c[5]);
      o.setDilationHFactor(c[6]);
      o.setDilationWFactor(c[6]);
      o.setFusedActivationFunction((byte) c[8]);
      OneOp m = new OneOp();
      int x = m.input("x", -1, c[0], c[1], c[2]);
      int w = m.weights("w", c[3], c[4], c[4], c[2]);
      int b = m.weights("b", c[3]);
      all.add(
          Arguments.of(
              "CONV_2D " + describe(c),
              m.op(
                  BuiltinOperator.CONV_2D,
                  BuiltinOptions.Conv2DOptions,
                  o,
                  new int[] {-1, 1, 1, c[3]},
                  x,
                  w,
                  b),
              false));

      DepthwiseConv2DOptionsT d = new DepthwiseConv2DOptionsT();
      int multiplier = c[3] % c[2] == 0 ? c[3] / c[2] : 1;
      d.setPadding(c[7] == 1 ? Padding.SAME : Padding.VALID);
      d.setStrideH(c[5]);
      d.setStrideW(c[5]);
      d.setDilationHFactor(c[6]);
      d.setDilationWFactor(c[6]);
      d.setDepthMultiplier(multiplier);
      d.setFusedActivationFunction((byte) c[8]);
      OneOp dm = new OneOp();
      int dx = dm.input("x", -1, c[0], c[1], c[2]);
      int dw = dm.weights("w", 1, c[4], c[4], c[2] * multiplier);
      int db = dm.weights("b", c[2] * multiplier);
      all.add(
          Arguments.of(
              "DEPTHWISE_CONV_2D x" + multiplier + " " + describe(c),
              dm.op(
                  BuiltinOperator.DEPTHWISE_CONV_2D,
                  BuiltinOptions.DepthwiseConv2DOptions,
                  d,
                  new int[] {-1, 1, 1, c[2] * multiplier},
                  dx,
                  dw,
                  db),
              false));
    }
  }

  private static String describe(int[] c) {
    return String.format(
        "%dx%dx%d k%d s%d d%d %s %s",
        c[0],
        c[1],
        c[2],
        c[4],
        c[5],
        c[6],
        c[7] == 1 ? "SAME" : "VALID",
        ActivationFunctionType.name(c[8]));
  }

  private static void pool(List<Arguments> all) {
    // {h, w, k, stride, same, activation}
    int[][] cases = {
      {8, 8, 2, 2, 0, 0},
      {7, 9, 3, 2, 1, 0},
      {7, 7, 3, 1, 1, 1},
      {9, 6, 2, 2, 1, 3},
      {5, 5, 5, 1, 0, 0}
    };
    for (int[] c : cases) {
      for (int op : new int[] {BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D}) {
        Pool2DOptionsT o = new Pool2DOptionsT();
        o.setPadding(c[4] == 1 ? Padding.SAME : Padding.VALID);
        o.setFilterHeight(c[2]);
        o.setFilterWidth(c[2]);
        o.setStrideH(c[3]);
        o.setStrideW(c[3]);
        o.setFusedActivationFunction((byte) c[5]);
        OneOp m = new OneOp();
        int x = m.input("x", -1, c[0], c[1], 3);
        all.add(
            Arguments.of(
                String.format(
                    "%s %dx%d k%d s%d %s %s",
                    TfliteGraph.opName(op),
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    c[4] == 1 ? "SAME" : "VALID",
                    ActivationFunctionType.name(c[5])),
                m.op(op, BuiltinOptions.Pool2DOptions, o, new int[] {-1, 1, 1, 3}, x),
                false));
      }
    }
  }

  private static void shape(List<Arguments> all) {
    OneOp pad = new OneOp();
    int px = pad.input("x", -1, 4, 5, 3);
    int pp =
        pad.model.constantInt32("paddings", new int[] {4, 2}, new int[] {0, 0, 1, 2, 0, 1, 2, 0});
    all.add(
        Arguments.of(
            "PAD",
            pad.op(
                BuiltinOperator.PAD,
                BuiltinOptions.PadOptions,
                new PadOptionsT(),
                new int[] {-1, 7, 6, 5},
                px,
                pp),
            false));

    int[][] meanAxes = {{1, 2}, {-1}, {1}, {0, 3}};
    boolean[] keeps = {false, true, true, false};
    for (int i = 0; i < meanAxes.length; i++) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 4, 5, 3);
      int axes = m.ints("axes", meanAxes[i]);
      ReducerOptionsT o = new ReducerOptionsT();
      o.setKeepDims(keeps[i]);
      all.add(
          Arguments.of(
              "MEAN axes " + java.util.Arrays.toString(meanAxes[i]) + " keep " + keeps[i],
              m.op(
                  BuiltinOperator.MEAN,
                  BuiltinOptions.ReducerOptions,
                  o,
                  new int[] {-1, 1},
                  x,
                  axes),
              false));
    }

    OneOp reshape = new OneOp();
    int rx = reshape.input("x", -1, 4, 5, 6);
    int target = reshape.ints("shape", -1, 20, 6);
    ReshapeOptionsT ro = new ReshapeOptionsT();
    ro.setNewShape(new int[] {-1, 20, 6});
    all.add(
        Arguments.of(
            "RESHAPE",
            reshape.op(
                BuiltinOperator.RESHAPE,
                BuiltinOptions.ReshapeOptions,
                ro,
                new int[] {-1, 20, 6},
                rx,
                target),
            false));

    OneOp transpose = new OneOp();
    int tx = transpose.input("x", -1, 4, 5, 6);
    int perm = transpose.ints("perm", 0, 3, 1, 2);
    all.add(
        Arguments.of(
            "TRANSPOSE",
            transpose.op(
                BuiltinOperator.TRANSPOSE,
                BuiltinOptions.TransposeOptions,
                new TransposeOptionsT(),
                new int[] {-1, 6, 4, 5},
                tx,
                perm),
            false));

    for (int axis : new int[] {1, -1}) {
      OneOp concat = new OneOp();
      int a = concat.input("a", -1, 3, 4);
      int b = concat.input("b", -1, 3, 4);
      ConcatenationOptionsT o = new ConcatenationOptionsT();
      o.setAxis(axis); // 2.6.2 refuses a fused activation on CONCATENATION
      byte[] model =
          concat.op(
              BuiltinOperator.CONCATENATION,
              BuiltinOptions.ConcatenationOptions,
              o,
              axis == 1 ? new int[] {-1, 6, 4} : new int[] {-1, 3, 8},
              a,
              b);
      all.add(Arguments.of("CONCATENATION axis " + axis, model, false));
    }

    // {begin..., end..., strides..., beginMask, endMask, shrinkMask}
    int[][][] slices = {
      {{0, 1, 0}, {0, 3, 0}, {1, 1, 1}, {0b101, 0b101, 0}},
      {{0, -3, 1}, {0, 0, 5}, {1, 1, 2}, {0b001, 0b011, 0}},
      {{0, 2, 0}, {0, 3, 0}, {1, 1, 1}, {0b101, 0b101, 0b010}},
      {{0, 0, -2}, {0, 4, -1}, {1, 2, 1}, {0b001, 0b001, 0b100}},
      {{0, 1, 2}, {0, 100, 100}, {1, 1, 3}, {0b001, 0b001, 0}}
    };
    for (int[][] s : slices) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 5, 7);
      int b = m.ints("begin", s[0]);
      int e = m.ints("end", s[1]);
      int st = m.ints("strides", s[2]);
      StridedSliceOptionsT o = new StridedSliceOptionsT();
      o.setBeginMask(s[3][0]);
      o.setEndMask(s[3][1]);
      o.setShrinkAxisMask(s[3][2]);
      all.add(
          Arguments.of(
              "STRIDED_SLICE " + java.util.Arrays.deepToString(s),
              m.op(
                  BuiltinOperator.STRIDED_SLICE,
                  BuiltinOptions.StridedSliceOptions,
                  o,
                  new int[] {-1, 1},
                  x,
                  b,
                  e,
                  st),
              false));
    }
  }

  private static void matrix(List<Arguments> all) {
    for (float beta : new float[] {1f, 0.5f}) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, 3, 9);
      SoftmaxOptionsT o = new SoftmaxOptionsT();
      o.setBeta(beta);
      all.add(
          Arguments.of(
              "SOFTMAX beta " + beta,
              m.op(
                  BuiltinOperator.SOFTMAX,
                  BuiltinOptions.SoftmaxOptions,
                  o,
                  new int[] {-1, 3, 9},
                  x),
              false));
    }
    for (boolean keep : new boolean[] {true, false}) {
      for (boolean bias : new boolean[] {true, false}) {
        for (byte act :
            new byte[] {
              ActivationFunctionType.NONE,
              ActivationFunctionType.RELU6,
              ActivationFunctionType.RELU_N1_TO_1
            }) {
          OneOp m = new OneOp();
          int x = m.input("x", -1, 4, 6);
          int w = m.weights("w", 5, 6);
          int b = bias ? m.weights("b", 5) : -1;
          FullyConnectedOptionsT o = new FullyConnectedOptionsT();
          o.setKeepNumDims(keep);
          o.setFusedActivationFunction(act);
          all.add(
              Arguments.of(
                  "FULLY_CONNECTED keep "
                      + keep
                      + " bias "
                      + bias
                      + " "
                      + ActivationFunctionType.name(act),
                  m.op(
                      BuiltinOperator.FULLY_CONNECTED,
                      BuiltinOptions.FullyConnectedOptions,
                      o,
                      keep ? new int[] {-1, 4, 5} : new int[] {-1, 5},
                      x,
                      w,
                      b),
                  false));
        }
      }
    }
    for (int adj = 0; adj < 4; adj++) {
      boolean adjX = (adj & 1) != 0;
      boolean adjY = (adj & 2) != 0;
      OneOp m = new OneOp();
      int a = m.input("a", adjX ? new int[] {-1, 2, 5, 4} : new int[] {-1, 2, 4, 5});
      int b = m.input("b", adjY ? new int[] {-1, 2, 3, 5} : new int[] {-1, 2, 5, 3});
      BatchMatMulOptionsT o = new BatchMatMulOptionsT();
      o.setAdjX(adjX);
      o.setAdjY(adjY);
      all.add(
          Arguments.of(
              "BATCH_MATMUL adjX " + adjX + " adjY " + adjY,
              m.op(
                  BuiltinOperator.BATCH_MATMUL,
                  BuiltinOptions.BatchMatMulOptions,
                  o,
                  new int[] {-1, 2, 4, 3},
                  a,
                  b),
              false));
    }
    OneOp broadcast = new OneOp();
    int a = broadcast.input("a", -1, 2, 4, 5);
    int b = broadcast.input("b", -1, 1, 5, 3);
    all.add(
        Arguments.of(
            "BATCH_MATMUL broadcast",
            broadcast.op(
                BuiltinOperator.BATCH_MATMUL,
                BuiltinOptions.BatchMatMulOptions,
                new BatchMatMulOptionsT(),
                new int[] {-1, 2, 4, 3},
                a,
                b),
            false));
  }

  private static void resize(List<Arguments> all) {
    // {h, w, outH, outW, align, half}
    int[][] cases = {
      {4, 5, 8, 10, 0, 0},
      {4, 5, 7, 9, 1, 0},
      {4, 5, 8, 10, 0, 1},
      {8, 8, 3, 5, 0, 1},
      {3, 3, 6, 6, 0, 0}
    };
    for (int[] c : cases) {
      OneOp m = new OneOp();
      int x = m.input("x", -1, c[0], c[1], 2);
      int size = m.ints("size", c[2], c[3]);
      ResizeBilinearOptionsT o = new ResizeBilinearOptionsT();
      o.setAlignCorners(c[4] == 1);
      o.setHalfPixelCenters(c[5] == 1);
      all.add(
          Arguments.of(
              String.format(
                  "RESIZE_BILINEAR %dx%d->%dx%d align %d half %d",
                  c[0], c[1], c[2], c[3], c[4], c[5]),
              m.op(
                  BuiltinOperator.RESIZE_BILINEAR,
                  BuiltinOptions.ResizeBilinearOptions,
                  o,
                  new int[] {-1, c[2], c[3], 2},
                  x,
                  size),
              false));
    }
  }

  private static String shapes(int[][] s) {
    return java.util.Arrays.toString(s[0]) + " " + java.util.Arrays.toString(s[1]);
  }
}
