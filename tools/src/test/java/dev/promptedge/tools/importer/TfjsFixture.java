package dev.promptedge.tools.importer;

import dev.promptedge.tools.json.JsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny TF.js graph model shaped like an ONNX-to-TF export (NCHW input, transposes around
 * NHWC convolutions) that uses every op the converter handles and every weight dtype: float32,
 * float16, uint8 and uint16 quantized floats, int32; the weights split over two shards in the
 * middle of a weight. Seeded: the same files every time.
 */
public final class TfjsFixture {

  /** The nodes whose outputs the tests compare, with their TF.js shapes. */
  static final List<String> PROBES = List.of("leaky", "pool", "concat", "resize", "sum", "out");

  private final List<Object> nodes = new ArrayList<>();
  private final List<Object> weights = new ArrayList<>();
  private final ByteArrayOutputStream bin = new ByteArrayOutputStream();
  private final Random random = new Random(42);

  /** Writes model.json, group1-shard1of2.bin and group1-shard2of2.bin into {@code dir}. */
  public static Path write(Path dir) throws IOException {
    return new TfjsFixture().build(dir);
  }

  private Path build(Path dir) throws IOException {
    node(
        "x",
        "Placeholder",
        List.of(),
        Map.of("shape", shapeAttr(1, 3, 16, 16), "dtype", type("DT_FLOAT")));
    ints("pads", new int[] {4, 2}, 0, 0, 0, 0, 1, 1, 1, 1);
    ints("to_nhwc", new int[] {4}, 0, 2, 3, 1);
    ints("to_nchw", new int[] {4}, 0, 3, 1, 2);
    node("pad", "Pad", List.of("x", "pads"), Map.of());
    node("t1", "Transpose", List.of("pad", "to_nhwc"), Map.of());
    floats("w1", "float16", 3, 3, 3, 8);
    node("conv1", "Conv2D", List.of("t1", "w1"), conv(2, "VALID"));
    floats("b1", "uint8", 8);
    node("bias1", "Add", List.of("conv1", "b1"), Map.of());
    node("leaky", "LeakyRelu", List.of("bias1"), Map.of("alpha", Map.of("f", 0.1)));
    node("t2", "Transpose", List.of("leaky", "to_nchw"), Map.of());
    scalar("minus_inf", Float.NEGATIVE_INFINITY);
    node("padv2", "PadV2", List.of("t2", "pads", "minus_inf"), Map.of());
    node("t3", "Transpose", List.of("padv2", "to_nhwc"), Map.of());
    node("pool", "MaxPool", List.of("t3"), pool());
    node("t4", "Transpose", List.of("pool", "to_nchw"), Map.of());
    ints("split_sizes", new int[] {2}, 4, -1);
    ints("one", new int[0], 1);
    node(
        "split",
        "SplitV",
        List.of("t4", "split_sizes", "one"),
        Map.of("num_split", Map.of("i", "2")));
    node("sig", "Sigmoid", List.of("split"), Map.of());
    node("concat", "ConcatV2", List.of("sig", "split:1", "one"), Map.of("N", Map.of("i", "2")));
    node("t5", "Transpose", List.of("concat", "to_nhwc"), Map.of());
    ints("size", new int[] {2}, 8, 8);
    node(
        "resize",
        "ResizeBilinear",
        List.of("t5", "size"),
        Map.of("align_corners", Map.of("b", false), "half_pixel_centers", Map.of("b", true)));
    floats("w2", "uint16", 1, 1, 8, 4);
    node("conv2", "Conv2D", List.of("resize", "w2"), conv(1, "SAME"));
    floats("w3", "float32", 1, 1, 8, 4);
    node("conv3", "Conv2D", List.of("leaky", "w3"), conv(1, "SAME"));
    node("sum", "AddV2", List.of("conv2", "conv3"), Map.of());
    node("t6", "Transpose", List.of("sum", "to_nchw"), Map.of());
    // The shape chain ONNX-to-TF exports leave: SparseToDense of empty indices plus a base shape.
    ints("where", new int[] {0, 1});
    ints("dense_shape", new int[] {1}, 3);
    ints("gathered", new int[] {0});
    ints("zero", new int[0], 0);
    node(
        "dense",
        "SparseToDense",
        List.of("where", "dense_shape", "gathered", "zero"),
        Map.of("validate_indices", Map.of("b", true)));
    ints("base_shape", new int[] {3}, 1, 4, -1);
    node("target", "AddV2", List.of("base_shape", "dense"), Map.of());
    node("reshape", "Reshape", List.of("t6", "target"), Map.of());
    node("out", "Identity", List.of("reshape"), Map.of());
    byte[] all = bin.toByteArray();
    int cut = all.length / 2 + 1;
    Files.createDirectories(dir);
    Files.write(dir.resolve("group1-shard1of2.bin"), Arrays.copyOfRange(all, 0, cut));
    Files.write(dir.resolve("group1-shard2of2.bin"), Arrays.copyOfRange(all, cut, all.length));
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("paths", List.of("group1-shard1of2.bin", "group1-shard2of2.bin"));
    group.put("weights", weights);
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("format", "graph-model");
    model.put("generatedBy", "PromptEdge TfjsFixture");
    model.put("convertedBy", "hand-written");
    model.put("modelTopology", Map.of("node", nodes, "library", Map.of(), "versions", Map.of()));
    model.put("weightsManifest", List.of(group));
    Path json = dir.resolve("model.json");
    Files.writeString(json, JsonWriter.write(model), StandardCharsets.UTF_8);
    return json;
  }

  private void node(String name, String op, List<String> inputs, Map<String, Object> attrs) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("name", name);
    n.put("op", op);
    if (!inputs.isEmpty()) {
      n.put("input", inputs);
    }
    Map<String, Object> a = new LinkedHashMap<>(attrs);
    if (!op.equals("Placeholder") && !op.equals("Const")) {
      a.put("T", type("DT_FLOAT"));
    }
    n.put("attr", a);
    nodes.add(n);
  }

  private void constNode(String name, String dtype, int[] shape) {
    List<Object> dims = new ArrayList<>();
    for (int d : shape) {
      dims.add(Map.of("size", String.valueOf(d)));
    }
    Map<String, Object> tensorShape = shape.length == 0 ? Map.of() : Map.of("dim", dims);
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("name", name);
    n.put("op", "Const");
    n.put(
        "attr",
        Map.of(
            "value", Map.of("tensor", Map.of("dtype", dtype, "tensorShape", tensorShape)),
            "dtype", type(dtype)));
    nodes.add(n);
  }

  private void ints(String name, int[] shape, int... values) {
    constNode(name, "DT_INT32", shape);
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    bin.writeBytes(b.array());
    weights.add(entry(name, "int32", shape, null));
  }

  private void scalar(String name, float value) {
    constNode(name, "DT_FLOAT", new int[0]);
    bin.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
    weights.add(entry(name, "float32", new int[0], null));
  }

  /** A random float weight stored as {@code stored} (float32, float16, uint8 or uint16). */
  private void floats(String name, String stored, int... shape) {
    constNode(name, "DT_FLOAT", shape);
    int n = Arrays4.size(shape);
    Map<String, Object> q = null;
    ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      float v = (float) (random.nextGaussian() * 0.5);
      switch (stored) {
        case "float16" -> b.putShort(half(v));
        case "uint8" -> b.put((byte) random.nextInt(256));
        case "uint16" -> b.putShort((short) random.nextInt(65536));
        default -> b.putFloat(v);
      }
    }
    switch (stored) {
      case "float16" -> q = Map.of("dtype", "float16", "original_dtype", "float32");
      case "uint8" ->
          q = Map.of("dtype", "uint8", "scale", 0.01, "min", -1.25, "original_dtype", "float32");
      case "uint16" ->
          q = Map.of("dtype", "uint16", "scale", 2.0e-5, "min", -0.7, "original_dtype", "float32");
      default -> {}
    }
    bin.write(b.array(), 0, b.position());
    weights.add(entry(name, "float32", shape, q));
  }

  private static Map<String, Object> entry(
      String name, String dtype, int[] shape, Map<String, Object> q) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("name", name);
    w.put("shape", Arrays.stream(shape).mapToObj(Long::valueOf).toList());
    w.put("dtype", dtype);
    if (q != null) {
      w.put("quantization", q);
    }
    return w;
  }

  private static short half(float f) {
    // Round-to-nearest float16 of a small normal float (the fixture's weights are in ±4).
    int bits = Float.floatToIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = ((bits >>> 23) & 0xff) - 127 + 15;
    int mant = bits & 0x7fffff;
    if (exp <= 0) {
      return (short) sign;
    }
    int h = sign | (exp << 10) | (mant >>> 13);
    if ((mant & 0x1000) != 0) {
      h++;
    }
    return (short) h;
  }

  private static Map<String, Object> conv(int stride, String padding) {
    return Map.of(
        "strides", list(1, stride, stride, 1),
        "dilations", list(1, 1, 1, 1),
        "padding", text(padding),
        "data_format", text("NHWC"));
  }

  private static Map<String, Object> pool() {
    return Map.of(
        "ksize",
        list(1, 3, 3, 1),
        "strides",
        list(1, 2, 2, 1),
        "padding",
        text("VALID"),
        "data_format",
        text("NHWC"));
  }

  private static Map<String, Object> list(int... values) {
    return Map.of("list", Map.of("i", Arrays.stream(values).mapToObj(String::valueOf).toList()));
  }

  private static Map<String, Object> text(String s) {
    return Map.of("s", Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, Object> type(String t) {
    return Map.of("type", t);
  }

  private static Map<String, Object> shapeAttr(int... dims) {
    List<Object> d = new ArrayList<>();
    for (int v : dims) {
      d.add(Map.of("size", String.valueOf(v)));
    }
    return Map.of("shape", Map.of("dim", d));
  }
}
