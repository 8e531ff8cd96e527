package dev.promptedge.tools.cli;

import dev.promptedge.tools.graph.TfliteGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The contract v2 signature of a backbone without its card, read from the names the contract gives
 * its tensors: {@code pixels} [B,H,W,3]; prompt inputs {@code prompt} [B,L,P,D] (TOKENS), {@code
 * pixel_prompt} [B,H,W,3] (PIXEL), {@code scale_shift_<k>} [B,2,C] (CHANNEL_SCALE_SHIFT); feature
 * outputs {@code features} or {@code features_<suffix>} [B,Hf,Wf,C]. Stateless.
 */
final class V2SignatureContract {

  private static final Pattern SCALE_SHIFT = Pattern.compile("scale_shift_[0-9]+");

  private V2SignatureContract() {}

  /** The problems of {@code graph}'s signature, empty when it follows the v2 contract. */
  static List<String> problems(TfliteGraph graph) {
    List<String> problems = new ArrayList<>();
    if (!graph.inputNames().contains("pixels")) {
      problems.add(
          "an input named pixels [B,H,W,3] is needed, the model has " + graph.inputNames());
      return problems;
    }
    int[] pixels = graph.shapeOf("pixels");
    if (pixels.length != 4 || pixels[3] != 3) {
      problems.add("pixels must be [B,H,W,3], is " + Arrays.toString(pixels));
      return problems;
    }
    for (String name : graph.inputNames()) {
      int[] s = graph.shapeOf(name);
      String kind = kind(name);
      if (name.equals("pixels")) {
        continue;
      } else if (kind == null) {
        problems.add(
            "input '"
                + name
                + "' is no contract v2 prompt input: name prompt inputs prompt (tokens),"
                + " pixel_prompt (pixel) or scale_shift_<k> (channel scale and shift)");
      } else if (kind.equals("TOKENS") && s.length != 4) {
        problems.add("prompt must be [B,L,P,D], is " + Arrays.toString(s));
      } else if (kind.equals("PIXEL")
          && !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), Arrays.copyOfRange(pixels, 1, 4))) {
        problems.add(name + " must be shaped like pixels, is " + Arrays.toString(s));
      } else if (kind.equals("CHANNEL_SCALE_SHIFT") && (s.length != 3 || s[1] != 2)) {
        problems.add(name + " must be [B,2,C] (gamma, beta), is " + Arrays.toString(s));
      }
    }
    List<String> features = features(graph);
    if (features.isEmpty()) {
      problems.add(
          "an output named features or features_<suffix> [B,Hf,Wf,C] is needed, the model has "
              + graph.outputNames());
    }
    for (String name : features) {
      if (graph.shapeOf(name).length != 4) {
        problems.add(name + " must be [B,Hf,Wf,C], is " + Arrays.toString(graph.shapeOf(name)));
      }
    }
    return problems;
  }

  /** One line describing a signature without problems. */
  static String summary(TfliteGraph graph) {
    int[] pixels = graph.shapeOf("pixels");
    List<String> prompts = new ArrayList<>();
    for (String name : graph.inputNames()) {
      if (!name.equals("pixels")) {
        int[] s = graph.shapeOf(name);
        prompts.add(
            name + " " + kind(name) + " " + Arrays.toString(Arrays.copyOfRange(s, 1, s.length)));
      }
    }
    List<String> outputs = new ArrayList<>();
    for (String name : features(graph)) {
      int[] s = graph.shapeOf(name);
      outputs.add(
          name
              + " stride "
              + pixels[1] / s[1]
              + " "
              + Arrays.toString(Arrays.copyOfRange(s, 1, 4)));
    }
    return String.format(
        "contract: OK (v2) H=%d W=%d, prompt inputs %s, feature outputs %s, batch %s",
        pixels[1],
        pixels[2],
        prompts,
        outputs,
        pixels[0] == -1 ? "dynamic" : "fixed at " + pixels[0] + " (one image per call)");
  }

  private static List<String> features(TfliteGraph graph) {
    return graph.outputNames().stream()
        .filter(n -> n.equals("features") || n.startsWith("features_"))
        .toList();
  }

  /** The prompt kind the contract gives input {@code name}, or null. */
  private static String kind(String name) {
    if (name.equals("prompt")) {
      return "TOKENS";
    }
    if (name.equals("pixel_prompt")) {
      return "PIXEL";
    }
    return SCALE_SHIFT.matcher(name).matches() ? "CHANNEL_SCALE_SHIFT" : null;
  }
}
