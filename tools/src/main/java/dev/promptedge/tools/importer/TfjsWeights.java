package dev.promptedge.tools.importer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a TF.js {@code weightsManifest}: each group's shards concatenated in order, weights read
 * in order, little-endian; quantized weights ({@code uint8}, {@code uint16}: q·scale + min; {@code
 * float16}: IEEE half) become float32. Shards must lie in the model's directory.
 */
final class TfjsWeights {

  /** One decoded weight: floats for float32 weights, ints for int32 ones. */
  record Weight(String name, int[] shape, float[] floats, int[] ints) {}

  private TfjsWeights() {}

  static Map<String, Weight> read(Path dir, List<Object> manifest) {
    Map<String, Weight> weights = new LinkedHashMap<>();
    for (Object g : manifest) {
      Map<String, Object> group = TfjsJson.object(g, "weightsManifest group");
      List<Object> paths = TfjsJson.list(group.get("paths"), "weightsManifest paths");
      ByteBuffer data = shards(dir, paths);
      for (Object w : TfjsJson.list(group.get("weights"), "weightsManifest weights")) {
        Weight weight = decode(TfjsJson.object(w, "weight entry"), data, paths);
        weights.put(weight.name(), weight);
      }
    }
    return weights;
  }

  private static ByteBuffer shards(Path dir, List<Object> paths) {
    byte[][] parts = new byte[paths.size()][];
    int total = 0;
    Path root = dir.toAbsolutePath().normalize();
    for (int i = 0; i < parts.length; i++) {
      String name = TfjsJson.string(paths.get(i), "weight shard path");
      Path file = root.resolve(name).normalize();
      if (!file.startsWith(root) || name.contains("://")) {
        throw new ImportException(
            "weight shard '"
                + name
                + "' is outside the model's directory; shards must be files"
                + " next to model.json");
      }
      try {
        parts[i] = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ImportException(
            "weight shard '"
                + name
                + "' named by model.json cannot be read ("
                + e.getClass().getSimpleName()
                + "); put it next to model.json");
      }
      total = Math.addExact(total, parts[i].length);
    }
    ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.flip();
  }

  private static Weight decode(Map<String, Object> w, ByteBuffer data, List<Object> paths) {
    String name = TfjsJson.string(w.get("name"), "weight name");
    String dtype = TfjsJson.string(w.get("dtype"), "dtype of weight '" + name + "'");
    int[] shape = TfjsJson.ints(w.get("shape"), "shape of weight '" + name + "'");
    long count = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new ImportException("weight '" + name + "' has a negative dimension " + d);
      }
      count *= d;
    }
    Map<String, Object> q =
        w.get("quantization") == null
            ? null
            : TfjsJson.object(w.get("quantization"), "quantization of '" + name + "'");
    String stored = q == null ? dtype : TfjsJson.string(q.get("dtype"), "quantization dtype");
    int width =
        switch (stored) {
          case "float32", "int32" -> 4;
          case "float16", "uint16" -> 2;
          case "uint8", "bool" -> 1;
          default ->
              throw new ImportException(
                  "weight '"
                      + name
                      + "' is stored as "
                      + stored
                      + ", which the importer cannot read"
                      + " (it reads float32, int32, bool, float16, uint16 and uint8)");
        };
    long bytes = count * width;
    if (bytes > data.remaining()) {
      throw new ImportException(
          "weight '"
              + name
              + "' needs "
              + bytes
              + " bytes but the shards "
              + paths
              + " hold only "
              + data.remaining()
              + " more; a shard is truncated or missing: download the model's .bin files again");
    }
    int n = (int) count;
    float[] floats = new float[n];
    for (int i = 0; i < n; i++) {
      floats[i] =
          switch (stored) {
            case "float32" -> data.getFloat();
            case "int32" -> data.getInt();
            case "float16" -> half(data.getShort());
            case "uint16" -> dequantize(data.getShort() & 0xffff, q);
            case "uint8" -> q == null ? data.get() & 0xff : dequantize(data.get() & 0xff, q);
            default -> data.get() != 0 ? 1 : 0;
          };
    }
    if (dtype.equals("float32")) {
      return new Weight(name, shape, floats, null);
    }
    if (dtype.equals("int32") || dtype.equals("bool")) {
      int[] ints = new int[n];
      for (int i = 0; i < n; i++) {
        ints[i] = Math.round(floats[i]);
      }
      return new Weight(name, shape, null, ints);
    }
    throw new ImportException(
        "weight '" + name + "' has dtype " + dtype + "; the importer converts float32 and int32");
  }

  private static float dequantize(int q, Map<String, Object> quantization) {
    double scale = TfjsJson.number(quantization.get("scale"), "quantization scale");
    double min = TfjsJson.number(quantization.get("min"), "quantization min");
    return (float) (q * scale + min);
  }

  /** IEEE 754 half precision to float. */
  static float half(short bits) {
    int h = bits & 0xffff;
    int sign = (h >>> 15) << 31;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float value = mant * 0x1p-24f;
      return sign == 0 ? value : -value;
    }
    if (exp == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
