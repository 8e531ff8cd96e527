package dev.promptedge.tools.importer;

import dev.promptedge.runtime.onnx.RowMajor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares an imported model with identity prompts against its source: the source graph cut at the
 * same tensors runs in the interpreter (a .tflite source as it is, DEQUANTIZE ops and all), and a
 * TF.js source is also run by {@code @tensorflow/tfjs} on Node at its own input size against the
 * converted graph (skipped, with the reason, when Node or the package is missing).
 */
final class OriginalParity {

  private OriginalParity() {}

  static ImportParity measure(
      SourceModel source,
      String pixelName,
      List<String> features,
      List<ImportedBackbone.FeatureOutput> outputs,
      byte[] imported,
      List<ImportedBackbone.PromptInput> prompts,
      BackboneImporter.Options o,
      double host) {
    ImportGraph reference = source.graph();
    int[] pixelShape = reference.tensor(reference.inputs.get(pixelName)).shape.clone();
    pixelShape[0] = 1;
    float[] pixels = BackboneImporter.gaussian(Arrays4.size(pixelShape), 3);
    Map<String, float[]> inputs = new LinkedHashMap<>();
    inputs.put(ImportedBackbone.PIXELS, pixels);
    for (ImportedBackbone.PromptInput p : prompts) {
      int n = p.shape().stream().reduce(1, (a, b) -> a * b);
      float[] identity = new float[n];
      if (p.kind() == ImportedBackbone.PromptKind.CHANNEL_SCALE_SHIFT) {
        Arrays.fill(identity, 0, n / 2, 1f);
      }
      inputs.put(p.name(), identity);
    }
    Map<String, float[]> ours = BackboneImporter.run(imported, inputs, 1);
    Map<String, float[]> theirs = cutAndRun(reference, pixelName, features, pixels);
    double worst = 0;
    for (ImportedBackbone.FeatureOutput f : outputs) {
      worst = Math.max(worst, relative(ours.get(f.name()), theirs.get(f.source())));
    }
    String note =
        source.tfjs() == null
            ? "original .tflite cut at the features, in the interpreter"
            : "converted TF.js graph cut at the features, in the interpreter";
    if (source.tfjs() == null) {
      return new ImportParity(host, worst, Double.NaN, note);
    }
    if (o.tfjsReference() == null) {
      return new ImportParity(
          host, worst, Double.NaN, note + "; TF.js reference not run (no directory given)");
    }
    TfjsReference node = new TfjsReference(o.tfjsReference());
    String missing = node.missing();
    if (missing != null) {
      return new ImportParity(
          host, worst, Double.NaN, note + "; TF.js reference not run: " + missing);
    }
    double tfjs = againstTfjs(source, pixelName, features, node);
    return new ImportParity(
        host,
        worst,
        tfjs,
        note + "; converted graph at the model's own input size vs @tensorflow/tfjs on Node");
  }

  private static Map<String, float[]> cutAndRun(
      ImportGraph g, String pixelName, List<String> features, float[] pixels) {
    CutAtFeatures.apply(g, features);
    byte[] bytes = g.serialize("reference", "reference cut");
    return BackboneImporter.run(bytes, "reference", Map.of(pixelName, pixels), 1);
  }

  /** The converted graph at the TF.js model's own input size against TF.js itself. */
  private static double againstTfjs(
      SourceModel source, String pixelName, List<String> features, TfjsReference node) {
    SourceModel own = SourceModel.read(source.path(), 0, 0);
    TfjsConverter.Conversion c = own.tfjs();
    TfjsValue input = c.values().get(pixelName);
    float[] pixels = BackboneImporter.gaussian(Arrays4.size(input.shape), 4);
    Map<String, float[]> converted = cutAndRun(own.graph(), pixelName, features, pixels);
    List<String> nodes = new ArrayList<>();
    List<TfjsValue> layouts = new ArrayList<>();
    for (String f : features) {
      Map.Entry<String, TfjsValue> e = TfjsTensors.nodeOf(c, f);
      nodes.add(e.getKey());
      layouts.add(e.getValue());
    }
    // Our pixels are physical NHWC; TF.js takes its own (logical) layout.
    float[] logical = RowMajor.transpose(pixels, input.physical(), Arrays4.inverse(input.perm));
    List<float[]> theirs = node.run(source.path(), logical, input.shape, nodes);
    double worst = 0;
    for (int i = 0; i < features.size(); i++) {
      TfjsValue v = layouts.get(i);
      float[] physical = RowMajor.transpose(theirs.get(i), v.shape, v.perm);
      worst = Math.max(worst, relative(converted.get(features.get(i)), physical));
    }
    return worst;
  }

  /** max |a − b| / max |b|; infinite when the lengths differ or a value is NaN. */
  static double relative(float[] a, float[] b) {
    if (a == null || b == null || a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double err = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(a[i]) || Float.isNaN(b[i])) {
        return Double.POSITIVE_INFINITY;
      }
      err = Math.max(err, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return err / Math.max(scale, 1e-6);
  }
}
