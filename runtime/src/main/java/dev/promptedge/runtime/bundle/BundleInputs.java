package dev.promptedge.runtime.bundle;

import dev.promptedge.format.FloatTensor;
import dev.promptedge.format.NamedTensor;
import dev.promptedge.format.PromptBundle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v2 view of a bundle's inputs, for version 1 and 2 bundles alike: its prompt tensors by prompt
 * input name and the feature outputs its head reads. A version 1 bundle has one tensor, {@code
 * prompt}, and a head reading {@code features}. Stateless.
 */
public final class BundleInputs {

  /** The prompt input a version 1 bundle's tensor feeds. */
  public static final String V1_PROMPT = "prompt";

  /** The feature output a version 1 bundle's head reads. */
  public static final String V1_FEATURES = "features";

  private BundleInputs() {}

  /** The bundle's prompt tensors as named tensors, in bundle order. */
  public static List<NamedTensor> named(PromptBundle bundle) {
    if (bundle.getFormatVersion() == 1) {
      return List.of(
          NamedTensor.newBuilder().setInput(V1_PROMPT).setTensor(bundle.getPrompt()).build());
    }
    return bundle.getPromptsList();
  }

  /** The bundle's prompt values by prompt input name, in bundle order. */
  public static Map<String, float[]> prompts(PromptBundle bundle) {
    Map<String, float[]> prompts = new LinkedHashMap<>();
    for (NamedTensor t : named(bundle)) {
      prompts.put(t.getInput(), values(t.getTensor()));
    }
    return prompts;
  }

  /** The feature outputs the bundle's head reads, in the head's input order. */
  public static List<String> headFeatures(PromptBundle bundle) {
    return bundle.getFormatVersion() == 1 ? List.of(V1_FEATURES) : bundle.getHeadFeaturesList();
  }

  /** The values of {@code tensor}, row-major. */
  public static float[] values(FloatTensor tensor) {
    float[] values = new float[tensor.getValuesCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getValues(i);
    }
    return values;
  }
}
