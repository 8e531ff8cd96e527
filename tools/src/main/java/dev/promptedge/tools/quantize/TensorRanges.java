package dev.promptedge.tools.quantize;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.runtime.onnx.SchemaBuffers;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorType;

/**
 * The value range of every float32 run-time tensor of a model, measured in the real interpreter: a
 * copy of the model exposes each intermediate tensor as an extra signature output and the
 * calibration samples run through it in batches. Immutable once measured.
 */
final class TensorRanges {

  private static final int MAX_BATCH = 8;

  private final Map<Integer, float[]> ranges;
  private final int samples;

  private TensorRanges(Map<Integer, float[]> ranges, int samples) {
    this.ranges = ranges;
    this.samples = samples;
  }

  /** The [min, max] of tensor {@code index} of the float model, or null when never observed. */
  float[] of(int index) {
    return ranges.get(index);
  }

  int samples() {
    return samples;
  }

  static TensorRanges measure(
      byte[] floatModel,
      Calibration calibration,
      InterpreterConfig config,
      BiConsumer<Integer, Integer> progress) {
    ModelGraph graph = ModelGraph.parse(floatModel);
    SignatureDefT[] signatures = graph.signatures();
    if (signatures.length == 0) {
      throw new QuantizationException(
          "the model has no signature; full-integer quantization keeps a signature's float"
              + " inputs and outputs, so the model needs one");
    }
    SignatureDefT signature = signatures[0];
    Map<String, Integer> inputs = new LinkedHashMap<>();
    for (TensorMapT map : signature.getInputs()) {
      inputs.put(map.getName(), (int) map.getTensorIndex());
    }
    Map<String, Integer> exposed = new LinkedHashMap<>();
    java.util.Set<Integer> graphInputs = new java.util.HashSet<>();
    for (int i : graph.graph.getInputs()) {
      graphInputs.add(i);
    }
    for (int i = 0; i < graph.tensors.size(); i++) {
      if (graph.tensor(i).getType() == TensorType.FLOAT32
          && !graph.isConstant(i)
          && !graphInputs.contains(i)) {
        exposed.put("calibration/" + i, i);
      }
    }
    graph.graph.setOutputs(exposed.values().stream().mapToInt(Integer::intValue).toArray());
    signature.setOutputs(
        exposed.entrySet().stream()
            .map(e -> SchemaBuffers.tensorMap(e.getKey(), e.getValue()))
            .toArray(TensorMapT[]::new));
    byte[] exposing = graph.serialize(); // nothing is dropped: every tensor is an output or used

    List<Map<String, float[]>> samples = calibration.samples();
    for (Map<String, float[]> sample : samples) {
      if (!sample.keySet().equals(inputs.keySet())) {
        throw new QuantizationException(
            "calibration sample has inputs "
                + sample.keySet()
                + " but signature '"
                + signature.getSignatureKey()
                + "' takes "
                + inputs.keySet());
      }
    }
    Map<Integer, RangeAccumulator> accumulators = new HashMap<>();
    ByteBuffer buffer = ByteBuffer.allocateDirect(exposing.length).order(ByteOrder.nativeOrder());
    buffer.put(exposing).rewind();
    try (SignatureRunner runner =
        SignatureRunner.open(buffer, signature.getSignatureKey(), config)) {
      int[] declared = runner.input(inputs.keySet().iterator().next()).signature();
      int batch = declared.length > 0 && declared[0] == -1 ? MAX_BATCH : 1;
      boolean histogram = calibration.percentile() < 100;
      int passes = histogram ? 2 : 1;
      for (int pass = 0; pass < passes; pass++) {
        boolean first = pass == 0;
        for (int start = 0; start < samples.size(); start += batch) {
          List<Map<String, float[]>> chunk =
              samples.subList(start, Math.min(samples.size(), start + batch));
          Map<String, float[]> feeds = stack(chunk, inputs.keySet());
          Map<Integer, float[]> values = new HashMap<>();
          for (var e : inputs.entrySet()) {
            values.put(e.getValue(), feeds.get(e.getKey()));
          }
          Map<String, float[]> outputs = runner.run(feeds, chunk.size());
          for (var e : exposed.entrySet()) {
            values.put(e.getValue(), outputs.get(e.getKey()));
          }
          for (var e : values.entrySet()) {
            RangeAccumulator acc =
                accumulators.computeIfAbsent(e.getKey(), k -> new RangeAccumulator());
            if (first) {
              acc.observeMinMax(e.getValue());
            } else {
              acc.observeHistogram(e.getValue());
            }
          }
          progress.accept(pass * samples.size() + start + chunk.size(), passes * samples.size());
        }
      }
    }
    Map<Integer, float[]> ranges = new HashMap<>();
    for (var e : accumulators.entrySet()) {
      float[] range = e.getValue().range(calibration.percentile());
      if (!Float.isFinite(range[0]) || !Float.isFinite(range[1])) {
        throw new QuantizationException(
            "calibration saw a non-finite value in tensor '"
                + graph.tensor(e.getKey()).getName()
                + "'; check the calibration inputs (normalized pixels, prompts)");
      }
      ranges.put(e.getKey(), range);
    }
    return new TensorRanges(ranges, samples.size());
  }

  private static Map<String, float[]> stack(
      List<Map<String, float[]>> chunk, java.util.Set<String> names) {
    Map<String, float[]> feeds = new HashMap<>();
    for (String name : names) {
      int per = chunk.get(0).get(name).length;
      float[] all = new float[per * chunk.size()];
      for (int i = 0; i < chunk.size(); i++) {
        float[] one = chunk.get(i).get(name);
        if (one.length != per) {
          throw new QuantizationException(
              "calibration samples give input '"
                  + name
                  + "' with "
                  + one.length
                  + " and "
                  + per
                  + " values; every sample must have the same shape");
        }
        System.arraycopy(one, 0, all, i * per, per);
      }
      feeds.put(name, all);
    }
    return feeds;
  }
}
