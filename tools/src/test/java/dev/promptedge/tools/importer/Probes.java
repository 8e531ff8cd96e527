package dev.promptedge.tools.importer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.runtime.onnx.RowMajor;
import dev.promptedge.tools.graph.InterpreterParity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the TF.js fixture with chosen nodes as outputs, checks the host engine against the
 * interpreter on it and returns each node's value from the interpreter in TF.js' own layout.
 */
final class Probes {

  private Probes() {}

  /** The fixture's input in TF.js layout [1, 3, h, w]. */
  static float[] input(int h, int w) {
    return BackboneImporter.gaussian(3 * h * w, 3);
  }

  static Map<String, float[]> run(Path modelJson, int h, int w, List<String> nodes) {
    TfjsModel model = TfjsModel.read(modelJson);
    TfjsConverter.Conversion c =
        h == 16 ? TfjsConverter.convert(model) : TfjsConverter.convert(model, h, w);
    ImportGraph g = c.graph().copy();
    g.outputs.clear();
    for (String n : nodes) {
      g.outputs.put(n, c.values().get(n).tensor);
    }
    TfjsValue x = c.values().get("x");
    String inputName = g.inputs.keySet().iterator().next();
    float[] logical = input(h, w);
    float[] physical = RowMajor.transpose(logical, x.shape, x.perm);
    byte[] bytes = g.serialize("probe", "fixture probes");
    InterpreterParity.Result host =
        InterpreterParity.compare(bytes, "probe", Map.of(inputName, physical), 1);
    assertTrue(host.ok(), "host engine vs interpreter: " + host);
    Map<String, float[]> out = BackboneImporter.run(bytes, "probe", Map.of(inputName, physical), 1);
    Map<String, float[]> logicalOut = new LinkedHashMap<>();
    for (String n : nodes) {
      TfjsValue v = c.values().get(n);
      logicalOut.put(n, RowMajor.transpose(out.get(n), v.physical(), Arrays4.inverse(v.perm)));
    }
    return logicalOut;
  }
}
