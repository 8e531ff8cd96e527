package dev.promptedge.runtime.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.tflite.ModelCheckException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.AddOptionsT;
import org.tensorflow.lite.schema.BatchMatMulOptionsT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.ConcatenationOptionsT;
import org.tensorflow.lite.schema.Conv2DOptionsT;
import org.tensorflow.lite.schema.DepthwiseConv2DOptionsT;
import org.tensorflow.lite.schema.FullyConnectedOptionsT;
import org.tensorflow.lite.schema.Padding;
import org.tensorflow.lite.schema.Pool2DOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.ResizeBilinearOptionsT;
import org.tensorflow.lite.schema.StridedSliceOptionsT;

/**
 * The shape rule of each backbone operator on one-operator models: the output shape the verifier
 * infers is the one the real interpreter computes (the accepted model runs and gives exactly the
 * declared number of values), and a declared shape that does not follow is refused.
 */
class OpShapesTest {

  private static final InterpreterConfig CONFIG = new InterpreterConfig(1, true, Optional.empty());

  /** Accepts the model and checks the interpreter computes {@code out}'s element count. */
  private static void agrees(OneOpModel m, byte[] model, int[] out) {
    ModelVerifier.verify(ByteBuffer.wrap(model), m.limits());
    ByteBuffer direct = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    direct.put(model).rewind();
    try (SignatureRunner runner = SignatureRunner.open(direct, OneOpModel.KEY, CONFIG)) {
      Map<String, float[]> feeds = new HashMap<>();
      for (String name : runner.inputNames()) {
        int n = 1;
        for (int d : runner.input(name).shape()) {
          n *= d;
        }
        feeds.put(name, new float[n]);
      }
      int expected = 1;
      for (int d : out) {
        expected *= d;
      }
      assertEquals(expected, runner.run(feeds, 1).get("y").length);
    }
  }

  private static void refused(OneOpModel m, byte[] model, String words) {
    ModelCheckException e =
        assertThrows(
            ModelCheckException.class,
            () -> ModelVerifier.verify(ByteBuffer.wrap(model), m.limits()));
    assertEquals(Reason.INCONSISTENT, e.reason(), e::getMessage);
    assertTrue(e.getMessage().contains(words), e::getMessage);
  }

  @Test
  void addBroadcastsLikeNumpy() {
    OneOpModel m = new OneOpModel();
    int[] out = {1, 4, 3};
    byte[] ok =
        m.build(
            BuiltinOperator.ADD,
            BuiltinOptions.AddOptions,
            new AddOptionsT(),
            out,
            m.input(1, 4, 3),
            m.constant(3));
    agrees(m, ok, out);
    OneOpModel bad = new OneOpModel();
    refused(
        bad,
        bad.build(
            BuiltinOperator.ADD,
            BuiltinOptions.AddOptions,
            new AddOptionsT(),
            out,
            bad.input(1, 4, 3),
            bad.constant(4)),
        "cannot broadcast [1, 4, 3] with [4]");
  }

  private static byte[] conv(OneOpModel m, byte padding, int[] out, int inChannels) {
    Conv2DOptionsT o = new Conv2DOptionsT();
    o.setPadding(padding);
    o.setStrideW(2);
    o.setStrideH(2);
    return m.build(
        BuiltinOperator.CONV_2D,
        BuiltinOptions.Conv2DOptions,
        o,
        out,
        m.input(1, 9, 9, 3),
        m.constant(4, 3, 3, inChannels),
        m.constant(4));
  }

  @Test
  void convOutputFollowsPaddingStrideAndFilter() {
    OneOpModel same = new OneOpModel();
    agrees(same, conv(same, Padding.SAME, new int[] {1, 5, 5, 4}, 3), new int[] {1, 5, 5, 4});
    OneOpModel valid = new OneOpModel();
    agrees(valid, conv(valid, Padding.VALID, new int[] {1, 4, 4, 4}, 3), new int[] {1, 4, 4, 4});
    OneOpModel wrong = new OneOpModel();
    refused(wrong, conv(wrong, Padding.VALID, new int[] {1, 5, 5, 4}, 3), "make [1, 4, 4, 4]");
    OneOpModel channels = new OneOpModel();
    refused(channels, conv(channels, Padding.SAME, new int[] {1, 5, 5, 4}, 2), "must be 3");
  }

  private static byte[] depthwise(OneOpModel m, int multiplier, int[] out) {
    DepthwiseConv2DOptionsT o = new DepthwiseConv2DOptionsT();
    o.setPadding(Padding.SAME);
    o.setStrideW(1);
    o.setStrideH(1);
    o.setDepthMultiplier(multiplier);
    return m.build(
        BuiltinOperator.DEPTHWISE_CONV_2D,
        BuiltinOptions.DepthwiseConv2DOptions,
        o,
        out,
        m.input(1, 6, 6, 3),
        m.constant(1, 3, 3, 6),
        m.constant(6));
  }

  @Test
  void depthwiseFilterMustBeChannelsTimesMultiplier() {
    OneOpModel ok = new OneOpModel();
    agrees(ok, depthwise(ok, 2, new int[] {1, 6, 6, 6}), new int[] {1, 6, 6, 6});
    OneOpModel bad = new OneOpModel();
    refused(bad, depthwise(bad, 3, new int[] {1, 6, 6, 6}), "depth multiplier 3");
  }

  @Test
  void averagePoolAndMeanAndResize() {
    OneOpModel pool = new OneOpModel();
    Pool2DOptionsT p = new Pool2DOptionsT();
    p.setPadding(Padding.VALID);
    p.setStrideW(2);
    p.setStrideH(2);
    p.setFilterWidth(2);
    p.setFilterHeight(2);
    int[] pooled = {1, 4, 4, 3};
    agrees(
        pool,
        pool.build(
            BuiltinOperator.AVERAGE_POOL_2D,
            BuiltinOptions.Pool2DOptions,
            p,
            pooled,
            pool.input(1, 8, 9, 3)),
        pooled);
    OneOpModel mean = new OneOpModel();
    ReducerOptionsT keep = new ReducerOptionsT();
    keep.setKeepDims(true);
    int[] reduced = {1, 1, 1, 3};
    agrees(
        mean,
        mean.build(
            BuiltinOperator.MEAN,
            BuiltinOptions.ReducerOptions,
            keep,
            reduced,
            mean.input(1, 8, 8, 3),
            mean.ints(1, 2)),
        reduced);
    OneOpModel axis = new OneOpModel();
    refused(
        axis,
        axis.build(
            BuiltinOperator.MEAN,
            BuiltinOptions.ReducerOptions,
            keep,
            reduced,
            axis.input(1, 8, 8, 3),
            axis.ints(1, 4)),
        "reduces axis 4");
    OneOpModel resize = new OneOpModel();
    int[] resized = {1, 8, 6, 3};
    agrees(
        resize,
        resize.build(
            BuiltinOperator.RESIZE_BILINEAR,
            BuiltinOptions.ResizeBilinearOptions,
            new ResizeBilinearOptionsT(),
            resized,
            resize.input(1, 4, 4, 3),
            resize.ints(8, 6)),
        resized);
  }

  @Test
  void transposePadConcatenationAndStridedSlice() {
    OneOpModel t = new OneOpModel();
    int[] transposed = {1, 3, 2, 4};
    agrees(
        t,
        t.build(
            BuiltinOperator.TRANSPOSE,
            (byte) 0,
            null,
            transposed,
            t.input(1, 2, 3, 4),
            t.ints(0, 2, 1, 3)),
        transposed);
    OneOpModel notPerm = new OneOpModel();
    refused(
        notPerm,
        notPerm.build(
            BuiltinOperator.TRANSPOSE,
            (byte) 0,
            null,
            transposed,
            notPerm.input(1, 2, 3, 4),
            notPerm.ints(0, 1, 1, 3)),
        "not a permutation");
    OneOpModel pad = new OneOpModel();
    int[] padded = {1, 6, 8, 3};
    agrees(
        pad,
        pad.build(
            BuiltinOperator.PAD,
            (byte) 0,
            null,
            padded,
            pad.input(1, 4, 4, 3),
            pad.ints2(new int[] {4, 2}, 0, 0, 1, 1, 2, 2, 0, 0)),
        padded);
    OneOpModel cat = new OneOpModel();
    ConcatenationOptionsT axis1 = new ConcatenationOptionsT();
    axis1.setAxis(1);
    int[] joined = {1, 5, 4};
    agrees(
        cat,
        cat.build(
            BuiltinOperator.CONCATENATION,
            BuiltinOptions.ConcatenationOptions,
            axis1,
            joined,
            cat.input(1, 2, 4),
            cat.input(1, 3, 4)),
        joined);
    OneOpModel slice = new OneOpModel();
    StridedSliceOptionsT s = new StridedSliceOptionsT();
    s.setEndMask(4);
    int[] sliced = {1, 4, 4};
    agrees(
        slice,
        slice.build(
            BuiltinOperator.STRIDED_SLICE,
            BuiltinOptions.StridedSliceOptions,
            s,
            sliced,
            slice.input(1, 9, 4),
            slice.ints(0, 1, 0),
            slice.ints(1, 9, 0),
            slice.ints(1, 2, 1)),
        sliced);
  }

  @Test
  void fullyConnectedAndBatchMatmul() {
    OneOpModel fc = new OneOpModel();
    FullyConnectedOptionsT keep = new FullyConnectedOptionsT();
    keep.setKeepNumDims(true);
    int[] out = {1, 5, 6};
    agrees(
        fc,
        fc.build(
            BuiltinOperator.FULLY_CONNECTED,
            BuiltinOptions.FullyConnectedOptions,
            keep,
            out,
            fc.input(1, 5, 4),
            fc.constant(6, 4),
            fc.constant(6)),
        out);
    OneOpModel flat = new OneOpModel();
    int[] flattened = {5, 6};
    agrees(
        flat,
        flat.build(
            BuiltinOperator.FULLY_CONNECTED,
            BuiltinOptions.FullyConnectedOptions,
            new FullyConnectedOptionsT(),
            flattened,
            flat.input(1, 5, 4),
            flat.constant(6, 4),
            flat.constant(6)),
        flattened);
    OneOpModel mm = new OneOpModel();
    BatchMatMulOptionsT adjY = new BatchMatMulOptionsT();
    adjY.setAdjY(true);
    int[] product = {1, 3, 5, 6};
    agrees(
        mm,
        mm.build(
            BuiltinOperator.BATCH_MATMUL,
            BuiltinOptions.BatchMatMulOptions,
            adjY,
            product,
            mm.input(1, 3, 5, 4),
            mm.input(1, 3, 6, 4)),
        product);
    OneOpModel inner = new OneOpModel();
    refused(
        inner,
        inner.build(
            BuiltinOperator.BATCH_MATMUL,
            BuiltinOptions.BatchMatMulOptions,
            adjY,
            product,
            inner.input(1, 3, 5, 4),
            inner.input(1, 3, 6, 5)),
        "inner sizes differ");
  }
}
