package dev.promptedge.tools.importer;

import dev.promptedge.tools.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A TF.js graph model read from {@code model.json} and its weight shards: the GraphDef nodes of
 * {@code modelTopology} and the decoded weights. Immutable.
 *
 * @param nodes the nodes in file order
 * @param weights decoded weights by name ({@code Const} nodes take the entry of their name)
 */
record TfjsModel(List<Node> nodes, Map<String, TfjsWeights.Weight> weights) {

  /**
   * One GraphDef node; {@code inputs} keep the {@code name:k} output suffix, never control deps.
   */
  record Node(String name, String op, List<String> inputs, Map<String, Object> attrs) {}

  /** The most bytes of model.json read; graph topologies of real models are far smaller. */
  static final long MAX_JSON_BYTES = 64L << 20;

  static TfjsModel read(Path modelJson) {
    Object root;
    try {
      if (Files.size(modelJson) > MAX_JSON_BYTES) {
        throw new ImportException(
            modelJson + " is larger than " + (MAX_JSON_BYTES >> 20) + " MB; not a model.json");
      }
      root = Json.parse(Files.readString(modelJson, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ImportException(
          "cannot read " + modelJson + " (" + e.getClass().getSimpleName() + ")");
    } catch (IllegalArgumentException e) {
      if (e instanceof ImportException ie) {
        throw ie;
      }
      throw new ImportException(
          modelJson + " is not valid JSON: " + e.getMessage() + "; give a TF.js model.json");
    }
    Map<String, Object> top = TfjsJson.object(root, "the top level");
    Object format = top.get("format");
    if (format != null && !"graph-model".equals(format)) {
      throw new ImportException(
          modelJson
              + " is a TF.js '"
              + format
              + "' model; the importer reads graph models (tensorflowjs_converter"
              + " --output_format=tfjs_graph_model)");
    }
    Map<String, Object> topology = TfjsJson.object(top.get("modelTopology"), "modelTopology");
    List<Node> nodes = new ArrayList<>();
    for (Object n : TfjsJson.list(topology.get("node"), "modelTopology.node")) {
      Map<String, Object> node = TfjsJson.object(n, "a node");
      String name = TfjsJson.string(node.get("name"), "node name");
      String op = TfjsJson.string(node.get("op"), "op of node '" + name + "'");
      List<String> inputs = new ArrayList<>();
      if (node.get("input") != null) {
        for (Object i : TfjsJson.list(node.get("input"), "inputs of node '" + name + "'")) {
          String input = TfjsJson.string(i, "input of node '" + name + "'");
          if (!input.startsWith("^")) {
            inputs.add(input);
          }
        }
      }
      Map<String, Object> attrs =
          node.get("attr") == null ? Map.of() : TfjsJson.object(node.get("attr"), "attr");
      nodes.add(new Node(name, op, List.copyOf(inputs), attrs));
    }
    List<Object> manifest =
        top.get("weightsManifest") == null
            ? List.of()
            : TfjsJson.list(top.get("weightsManifest"), "weightsManifest");
    Path dir = modelJson.toAbsolutePath().getParent();
    return new TfjsModel(List.copyOf(nodes), TfjsWeights.read(dir, manifest));
  }
}
