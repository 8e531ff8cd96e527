package dev.promptedge.tools.graph;

import dev.promptedge.format.TaskKind;

/**
 * Bakes one task into one float32 TFLite flatbuffer: the ViT backbone of {@link VitBuilder} with
 * the task's prompt as a constant, followed by the linear head of {@link HeadBuilder}. Signature
 * {@value #SIGNATURE}: input {@value #PIXELS} [1, H, W, 3], output {@value #OUTPUTS} shaped as the
 * task's head says. This is what a runtime without prompt bundles would ship per task; benchmarks
 * compare it with one shared backbone and a bundle. Stateless and thread-safe.
 */
public final class TaskModelBuilder {

  /** Signature key of a baked task model. */
  public static final String SIGNATURE = "task";

  /** Signature input: normalized pixels, float32 [1, H, W, 3]. */
  public static final String PIXELS = VitBuilder.PIXELS;

  /** Signature output: the head's outputs, float32. */
  public static final String OUTPUTS = HeadBuilder.OUTPUTS;

  private TaskModelBuilder() {}

  /**
   * Writes backbone {@code spec} with {@code weights}, the prompt {@code prompt} ([L, P, D],
   * row-major) baked in as a constant, and a {@code kind} head with {@code head} weights. The model
   * takes one image per call.
   *
   * @throws IllegalArgumentException when the weights, the prompt or the head do not fit the spec
   */
  public static byte[] build(
      VitSpec spec, VitWeights weights, float[] prompt, TaskKind kind, HeadWeights head) {
    int l = spec.promptLayers();
    int p = spec.promptTokens();
    int d = spec.embedDim();
    VitWeights.checkLength("prompt [" + l + ", " + p + ", " + d + "]", prompt, l * p * d);
    HeadBuilder.check(kind, head, spec.gridHeight(), spec.gridWidth(), d);
    TfliteModelBuilder model =
        new TfliteModelBuilder("PromptEdge baked " + kind + " task on " + spec.name());
    GraphOps ops = new GraphOps(model);
    int pixels = model.activation(PIXELS, 1, spec.inputHeight(), spec.inputWidth(), 3);
    int promptConstant = model.constant(VitBuilder.PROMPT, new int[] {1, l, p, d}, prompt);
    int features = VitBuilder.encode(ops, spec, weights, pixels, promptConstant);
    int outputs =
        HeadBuilder.head(ops, "head/", kind, head, features, spec.gridHeight(), spec.gridWidth());
    return model.signatureKey(SIGNATURE).input(PIXELS, pixels).output(OUTPUTS, outputs).build();
  }
}
