package dev.promptedge.tools.importer;

import java.util.List;

/**
 * An imported promptable backbone: the float {@code .tflite} bytes (signature {@code encode}) and
 * what contract v2's card records about it — pixel input size, prompt inputs, feature outputs —
 * plus provenance and the parity figures the import measured. Immutable.
 *
 * @param model the float32 flatbuffer
 * @param sourceSha256 hex SHA-256 of the source file (model.json for TF.js)
 * @param inputHeight pixel input height
 * @param inputWidth pixel input width
 * @param dynamicBatch true when the batch is free ({@code -1}) in every input and output
 * @param prompts prompt inputs in signature order
 * @param features feature outputs in signature order
 * @param parity what the import measured to prove the model
 */
public record ImportedBackbone(
    byte[] model,
    String sourceSha256,
    int inputHeight,
    int inputWidth,
    boolean dynamicBatch,
    List<PromptInput> prompts,
    List<FeatureOutput> features,
    ImportParity parity) {

  /** The signature key of imported backbones. */
  public static final String SIGNATURE = "encode";

  /** The pixel input's name. */
  public static final String PIXELS = "pixels";

  /** The PIXEL prompt input's name. */
  public static final String PIXEL_PROMPT = "pixel_prompt";

  /** Prefix of CHANNEL_SCALE_SHIFT prompt inputs, followed by k = 0, 1, … */
  public static final String SCALE_SHIFT = "scale_shift_";

  public ImportedBackbone {
    prompts = List.copyOf(prompts);
    features = List.copyOf(features);
  }

  /** The prompt kinds of contract v2 that imported CNN backbones use. */
  public enum PromptKind {
    /** Per-channel x·γ + β after one block output; per-sample shape [2, C]. */
    CHANNEL_SCALE_SHIFT,
    /** Additive prompt on the normalized pixels; per-sample shape [H, W, 3]. */
    PIXEL
  }

  /**
   * One prompt input.
   *
   * @param name signature input name
   * @param kind prompt kind
   * @param shape per-sample shape (the batch dimension excluded)
   * @param placement the tensor it follows (the pixel input for PIXEL)
   */
  public record PromptInput(String name, PromptKind kind, List<Integer> shape, String placement) {
    public PromptInput {
      shape = List.copyOf(shape);
    }
  }

  /**
   * One feature output, NHWC.
   *
   * @param name signature output name, {@code features_s<stride>}
   * @param stride input pixels per feature cell (input height / height)
   * @param channels C
   * @param height Hf
   * @param width Wf
   * @param source the source model's tensor it is
   */
  public record FeatureOutput(
      String name, int stride, int channels, int height, int width, String source) {}
}
