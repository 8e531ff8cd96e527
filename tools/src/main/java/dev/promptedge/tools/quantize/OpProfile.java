package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Times the ops of a TFLite model one at a time in the 2.6.2 interpreter, through {@link
 * SignatureRunner} at batch 1: each distinct op (kind, shapes, types, whether its int8 output
 * parameters equal its first input's) is cut out with its constants and quantization parameters
 * into a model that runs it {@value #COPIES} times on the same inputs (int8 inputs fed through
 * QUANTIZE, int8 outputs read through DEQUANTIZE), and a model that runs it once; the op's time is
 * the difference of the two medians over the extra copies, so the edges and the runner's copying
 * cancel. A measuring tool, not a test; stateless.
 */
public final class OpProfile {

  /** Copies of the op in the long model. */
  static final int COPIES = 11;

  private OpProfile() {}

  /**
   * One distinct op: its kind, shapes and how many times the model runs it, with the median time of
   * one run and the spread (max − min of the repeated medians) in milliseconds.
   */
  public record Row(String kind, String shapes, int count, double medianMs, double spreadMs) {

    /** Time the model spends in all {@code count} instances. */
    public double totalMs() {
      return medianMs * count;
    }
  }

  /** Times every distinct op of {@code model}, each repeated {@code repeats} times. */
  public static List<Row> perOp(byte[] model, InterpreterConfig config, int repeats) {
    ModelGraph graph = ModelGraph.parse(model);
    Map<String, List<Integer>> distinct = new LinkedHashMap<>();
    for (int i = 0; i < graph.operators.size(); i++) {
      distinct.computeIfAbsent(key(graph, graph.operators.get(i)), k -> new ArrayList<>()).add(i);
    }
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : distinct.entrySet()) {
      int position = e.getValue().get(0);
      byte[] once = cut(model, position, 1);
      byte[] many = cut(model, position, COPIES);
      double[] medians = new double[repeats];
      for (int r = 0; r < repeats; r++) {
        medians[r] = Math.max(0, (medianMs(many, config) - medianMs(once, config)) / (COPIES - 1));
      }
      Arrays.sort(medians);
      String[] parts = e.getKey().split(" ", 2);
      rows.add(
          new Row(
              parts[0],
              parts[1],
              e.getValue().size(),
              medians[repeats / 2],
              medians[repeats - 1] - medians[0]));
    }
    return rows;
  }

  /**
   * Median milliseconds of one run of {@code model}'s first signature at batch 1 on seeded random
   * inputs, over enough runs to fill about {@code budgetMs} (at least 5, at most 2000).
   */
  public static double medianMs(byte[] model, InterpreterConfig config, double budgetMs) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    String key = ModelGraph.parse(model).signatures()[0].getSignatureKey();
    try (SignatureRunner runner = SignatureRunner.open(buffer, key, config)) {
      Map<String, float[]> inputs = new HashMap<>();
      Random random = new Random(7);
      for (String name : runner.inputNames()) {
        int[] shape = runner.input(name).shape();
        int size = 1;
        for (int i = 1; i < shape.length; i++) {
          size *= shape[i];
        }
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
          values[i] = (float) random.nextGaussian();
        }
        inputs.put(name, values);
      }
      long start = System.nanoTime();
      runner.run(inputs, 1);
      runner.run(inputs, 1);
      double first = (System.nanoTime() - start) / 2e6;
      int runs = (int) Math.max(5, Math.min(2000, budgetMs / Math.max(first, 1e-3)));
      double[] times = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t = System.nanoTime();
        runner.run(inputs, 1);
        times[i] = (System.nanoTime() - t) / 1e6;
      }
      Arrays.sort(times);
      return times[runs / 2];
    }
  }

  private static double medianMs(byte[] model, InterpreterConfig config) {
    return medianMs(model, config, 150);
  }

  private static String key(ModelGraph graph, OperatorT op) {
    StringBuilder b = new StringBuilder(BuiltinOperator.name(graph.builtin(op))).append(' ');
    for (int t : op.getInputs()) {
      if (t >= 0 && graph.tensor(t).getType() != TensorType.INT32) {
        b.append(describe(graph, t)).append(graph.isConstant(t) ? "c" : "").append(',');
      }
    }
    b.setLength(b.length() - 1);
    int out = op.getOutputs()[0];
    b.append(" -> ").append(describe(graph, out));
    TensorT o = graph.tensor(out);
    if (o.getType() == TensorType.INT8 && op.getInputs().length > 0) {
      TensorT in = graph.tensor(op.getInputs()[0]);
      boolean same =
          in.getType() == TensorType.INT8
              && Arrays.equals(in.getQuantization().getScale(), o.getQuantization().getScale())
              && Arrays.equals(
                  in.getQuantization().getZeroPoint(), o.getQuantization().getZeroPoint());
      b.append(same ? " (same params)" : "");
    }
    return b.toString();
  }

  private static String describe(ModelGraph graph, int t) {
    TensorT tensor = graph.tensor(t);
    int[] shape = tensor.getShape().clone();
    if (shape.length > 1) {
      shape[0] = Math.max(shape[0], 1);
    }
    String type = tensor.getType() == TensorType.INT8 ? "i8" : "f32";
    return type + Arrays.toString(shape).replace(" ", "");
  }

  /** The op at {@code position} alone, {@code copies} times, with float edges. */
  static byte[] cut(byte[] model, int position, int copies) {
    ModelGraph graph = ModelGraph.parse(model);
    OperatorT op = graph.operators.get(position);
    List<OperatorT> ops = new ArrayList<>();
    SignatureDefT signature = new SignatureDefT();
    signature.setSignatureKey("op");
    List<TensorMapT> inputs = new ArrayList<>();
    List<Integer> graphInputs = new ArrayList<>();
    Map<Integer, Integer> fed = new HashMap<>();
    for (int t : op.getInputs()) {
      if (t < 0 || graph.isConstant(t) || fed.containsKey(t)) {
        continue;
      }
      int feed = t;
      if (graph.tensor(t).getType() == TensorType.INT8) {
        feed = graph.addActivation("in" + inputs.size(), t, TensorType.FLOAT32, null);
        ops.add(graph.operator(BuiltinOperator.QUANTIZE, feed, t));
      }
      fed.put(t, feed);
      graphInputs.add(feed);
      inputs.add(SchemaBuffers.tensorMap("in" + inputs.size(), feed));
    }
    int out = op.getOutputs()[0];
    ops.add(op);
    for (int c = 1; c < copies; c++) {
      OperatorT copy = new OperatorT();
      copy.setOpcodeIndex(op.getOpcodeIndex());
      copy.setInputs(op.getInputs().clone());
      copy.setBuiltinOptions(op.getBuiltinOptions());
      TensorT o = graph.tensor(out);
      int extra = graph.addActivation("copy" + c, out, o.getType(), o.getQuantization());
      copy.setOutputs(new int[] {extra});
      ops.add(copy);
    }
    int result = out;
    if (graph.tensor(out).getType() == TensorType.INT8) {
      result = graph.addActivation("out", out, TensorType.FLOAT32, null);
      ops.add(graph.operator(BuiltinOperator.DEQUANTIZE, out, result));
    }
    graph.operators = ops;
    graph.graph.setInputs(graphInputs.stream().mapToInt(Integer::intValue).toArray());
    graph.graph.setOutputs(new int[] {result});
    signature.setInputs(inputs.toArray(TensorMapT[]::new));
    signature.setOutputs(new TensorMapT[] {SchemaBuffers.tensorMap("out", result)});
    graph.model.setSignatureDefs(new SignatureDefT[] {signature});
    return graph.serialize();
  }
}
