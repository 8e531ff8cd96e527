package dev.promptedge.tools.quantize;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.lite.schema.QuantizationParametersT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * The value range each float tensor takes in a full-integer model written by {@link Quantizer}: an
 * int8 activation represents only {@code scale * (q - zeroPoint)} for q in [-128, 127], and values
 * outside are saturated. The rewriter keeps a tensor's name when it turns its op int8, and names
 * the QUANTIZE of a float tensor {@code NAME/int8} and a requantized one {@code NAME/requantized};
 * both map back to {@code NAME}, with the narrower range where a tensor has several.
 */
public final class Int8Ranges {

  private static final String[] SUFFIXES = {"/int8", "/requantized"};

  private Int8Ranges() {}

  /**
   * The [low, high] of every per-tensor int8 activation of {@code int8Model}, by the name of the
   * float tensor it stands for.
   *
   * @throws QuantizationException when {@code int8Model} is not a one-subgraph TFLite model
   */
  public static Map<String, float[]> of(byte[] int8Model) {
    ModelGraph graph = ModelGraph.parse(int8Model);
    Map<String, float[]> ranges = new LinkedHashMap<>();
    for (int i = 0; i < graph.tensors.size(); i++) {
      TensorT t = graph.tensor(i);
      QuantizationParametersT q = t.getQuantization();
      if (t.getType() != TensorType.INT8
          || graph.isConstant(i)
          || q == null
          || q.getScale() == null
          || q.getScale().length != 1) {
        continue;
      }
      float scale = q.getScale()[0];
      long zeroPoint = q.getZeroPoint() == null ? 0 : q.getZeroPoint()[0];
      float[] range = {scale * (-128 - zeroPoint), scale * (127 - zeroPoint)};
      ranges.merge(
          floatName(t.getName()),
          range,
          (a, b) -> {
            float[] both = {Math.max(a[0], b[0]), Math.min(a[1], b[1])};
            return both[0] <= both[1] ? both : a;
          });
    }
    return ranges;
  }

  private static String floatName(String name) {
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
