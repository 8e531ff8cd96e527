package dev.promptedge.tools.importer;

import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.tools.graph.InterpreterParity;
import dev.promptedge.tools.graph.TfliteGraph;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.tensorflow.lite.schema.TensorType;

/**
 * Turns a pretrained {@code .tflite} or TF.js model into a promptable frozen backbone of contract
 * v2 and proves it: the host engine agrees with the 2.6.2 interpreter, and with identity prompts
 * the features equal the original model's tensors. Stateless; each call reads the source again.
 *
 * <pre>{@code
 * ImportedBackbone b = BackboneImporter.importModel(Path.of("nanodet.json"),
 *     new BackboneImporter.Options(List.of("a", "b"), true, List.of("c"), 128, 128, null));
 * }</pre>
 */
public final class BackboneImporter {

  /** Relative tolerance of the host engine against the interpreter (as {@code verify}). */
  public static final double HOST_TOLERANCE = InterpreterParity.TOLERANCE;

  /** Relative tolerance of the imported model against a .tflite original (same float kernels). */
  public static final double TFLITE_TOLERANCE = 1e-5;

  /** Relative tolerance against TF.js on Node (other kernels, other summation order). */
  public static final double TFJS_TOLERANCE = 1e-3;

  /**
   * What to import.
   *
   * @param features tensor names to cut at, finest first; empty = {@code auto}
   * @param pixelPrompt add a PIXEL prompt input
   * @param channelPrompts tensors to follow with CHANNEL_SCALE_SHIFT prompts
   * @param inputHeight pixel input height for TF.js models (0 = the model's own)
   * @param inputWidth pixel input width for TF.js models (0 = the model's own)
   * @param tfjsReference directory of {@code tfjs-reference.js} with node_modules, or null
   */
  public record Options(
      List<String> features,
      boolean pixelPrompt,
      List<String> channelPrompts,
      int inputHeight,
      int inputWidth,
      Path tfjsReference) {
    public Options {
      features = List.copyOf(features);
      channelPrompts = List.copyOf(channelPrompts);
    }
  }

  private BackboneImporter() {}

  /** Imports and proves {@code model}; throws {@link ImportException} naming what failed. */
  public static ImportedBackbone importModel(Path model, Options o) {
    SourceModel source = SourceModel.read(model, o.inputHeight(), o.inputWidth());
    String pixelName = source.pixelInput();
    ImportGraph g = source.graph();
    int pixelIndex = g.inputs.get(pixelName);
    if (g.tensor(pixelIndex).type != TensorType.FLOAT32) {
      throw new ImportException(
          "the pixel input '"
              + pixelName
              + "' is "
              + TensorType.name(g.tensor(pixelIndex).type)
              + "; import the float model of this network (quantized models are not imported)");
    }
    FoldDequantize.apply(g);
    List<String> features = new ArrayList<>(o.features());
    if (features.isEmpty()) {
      features.add(Inspection.of(g, 0).auto().name());
    }
    CutAtFeatures.apply(g, features);
    for (ImportGraph.Op op : g.ops) {
      if (op.opcode == org.tensorflow.lite.schema.BuiltinOperator.CUSTOM) {
        throw new ImportException(
            "the features "
                + features
                + " need "
                + op.name()
                + " (producing '"
                + g.tensor(op.outputs[0]).name
                + "'), which neither the host engine nor the converter knows; pick features"
                + " before it (`promptedge backbone inspect` marks them trainable)");
      }
    }
    int[] pixels = g.tensor(pixelIndex).shape.clone();
    g.inputs.remove(pixelName);
    g.inputs.put(ImportedBackbone.PIXELS, pixelIndex);
    List<ImportedBackbone.PromptInput> prompts = new ArrayList<>();
    if (o.pixelPrompt()) {
      int[] s = PromptInsertion.pixel(g, ImportedBackbone.PIXELS);
      prompts.add(
          new ImportedBackbone.PromptInput(
              ImportedBackbone.PIXEL_PROMPT,
              ImportedBackbone.PromptKind.PIXEL,
              List.of(s[1], s[2], s[3]),
              ImportedBackbone.PIXELS));
    }
    List<int[]> shapes = PromptInsertion.channel(g, o.channelPrompts());
    for (int k = 0; k < shapes.size(); k++) {
      prompts.add(
          new ImportedBackbone.PromptInput(
              ImportedBackbone.SCALE_SHIFT + k,
              ImportedBackbone.PromptKind.CHANNEL_SCALE_SHIFT,
              List.of(shapes.get(k)[0], shapes.get(k)[1]),
              o.channelPrompts().get(k)));
    }
    List<ImportedBackbone.FeatureOutput> outputs = new ArrayList<>();
    Map<String, Integer> named = new LinkedHashMap<>();
    for (String f : features) {
      int index = g.outputs.get(f);
      int[] s = g.tensor(index).shape;
      if (s.length != 4 || pixels[1] % s[1] != 0) {
        throw new ImportException(
            "feature '"
                + f
                + "' has shape "
                + Arrays.toString(s)
                + "; features must be NHWC maps whose height divides the input's");
      }
      int stride = pixels[1] / s[1];
      String name = "features_s" + stride;
      if (named.containsKey(name)) {
        throw new ImportException("two features have stride " + stride + "; pick one per stride");
      }
      named.put(name, index);
      outputs.add(new ImportedBackbone.FeatureOutput(name, stride, s[3], s[1], s[2], f));
    }
    g.outputs.clear();
    g.outputs.putAll(named);
    ImportGraph fixed = g.copy();
    boolean dynamic = DynamicBatch.apply(g);
    byte[] bytes =
        g.serialize(ImportedBackbone.SIGNATURE, "PromptEdge import of " + model.getFileName());
    if (dynamic && !batchIndependent(bytes)) {
      dynamic = false;
      g = fixed;
      bytes =
          g.serialize(ImportedBackbone.SIGNATURE, "PromptEdge import of " + model.getFileName());
    }
    int batch = dynamic ? 2 : 1;
    TfliteGraph graph;
    try {
      graph = TfliteGraph.read(bytes, ImportedBackbone.SIGNATURE);
    } catch (IllegalArgumentException e) {
      throw new ImportException(
          "the graph up to "
              + features
              + " cannot run on the host engine: "
              + e.getMessage()
              + "; pick features before it (see `promptedge backbone inspect`)");
    }
    InterpreterParity.Result host =
        InterpreterParity.compare(
            bytes,
            ImportedBackbone.SIGNATURE,
            InterpreterParity.randomInputs(graph, batch, 11),
            batch);
    ImportParity parity =
        OriginalParity.measure(
            source, pixelName, features, outputs, bytes, prompts, o, host.relative());
    ImportedBackbone result =
        new ImportedBackbone(
            bytes, source.sha256(), pixels[1], pixels[2], dynamic, prompts, outputs, parity);
    if (!parity.ok()) {
      throw new ImportException(
          "the imported model does not reproduce the original: host vs interpreter "
              + parity.hostVsInterpreter()
              + " (tolerance "
              + HOST_TOLERANCE
              + "), imported vs"
              + " source "
              + parity.importedVsOriginal()
              + " ("
              + TFLITE_TOLERANCE
              + "), converted"
              + " vs TF.js "
              + parity.convertedVsTfjs()
              + " ("
              + TFJS_TOLERANCE
              + "; "
              + parity.note()
              + ")");
    }
    return result;
  }

  /** True when two samples in one batch give what each gives alone, in the interpreter. */
  private static boolean batchIndependent(byte[] bytes) {
    TfliteGraph graph;
    try {
      graph = TfliteGraph.read(bytes, ImportedBackbone.SIGNATURE);
    } catch (IllegalArgumentException e) {
      return true; // the host check below names the problem
    }
    Map<String, float[]> two = InterpreterParity.randomInputs(graph, 2, 5);
    Map<String, float[]> both = run(bytes, two, 2);
    for (int sample = 0; sample < 2; sample++) {
      Map<String, float[]> one = new LinkedHashMap<>();
      for (var e : two.entrySet()) {
        int n = e.getValue().length / 2;
        one.put(e.getKey(), Arrays.copyOfRange(e.getValue(), sample * n, sample * n + n));
      }
      Map<String, float[]> alone = run(bytes, one, 1);
      for (var e : alone.entrySet()) {
        float[] b = both.get(e.getKey());
        int n = e.getValue().length;
        float[] part = Arrays.copyOfRange(b, sample * n, sample * n + n);
        if (OriginalParity.relative(part, e.getValue()) > TFLITE_TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }

  /** Runs signature {@code encode} (or the only one) of {@code bytes} in the 2.6.2 interpreter. */
  static Map<String, float[]> run(byte[] bytes, Map<String, float[]> inputs, int batch) {
    return run(bytes, ImportedBackbone.SIGNATURE, inputs, batch);
  }

  static Map<String, float[]> run(
      byte[] bytes, String key, Map<String, float[]> inputs, int batch) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.nativeOrder());
    buffer.put(bytes).rewind();
    try (SignatureRunner runner =
        SignatureRunner.open(buffer, key, new InterpreterConfig(1, false, Optional.empty()))) {
      return runner.run(inputs, batch);
    }
  }

  static float[] gaussian(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
