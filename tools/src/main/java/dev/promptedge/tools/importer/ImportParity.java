package dev.promptedge.tools.importer;

/**
 * What an import measured, each as max |difference| / max |reference|: the host engine against the
 * 2.6.2 interpreter on the new model; the new model with identity prompts against the source graph
 * cut at the same tensors (for a .tflite source: the original file itself, DEQUANTIZE ops included;
 * for TF.js: the converted graph); and for TF.js the converted graph at the model's own input size
 * against {@code @tensorflow/tfjs} on Node running the original model.json. Immutable.
 *
 * @param hostVsInterpreter host engine vs interpreter (tolerance {@link
 *     BackboneImporter#HOST_TOLERANCE})
 * @param importedVsOriginal identity-prompt features vs the source graph (tolerance {@link
 *     BackboneImporter#TFLITE_TOLERANCE})
 * @param convertedVsTfjs converted TF.js graph vs TF.js on Node (tolerance {@link
 *     BackboneImporter#TFJS_TOLERANCE}); NaN when not run
 * @param note how the references were run, or why the TF.js one was not
 */
public record ImportParity(
    double hostVsInterpreter, double importedVsOriginal, double convertedVsTfjs, String note) {

  /** True when every comparison that ran is within its tolerance. */
  public boolean ok() {
    return hostVsInterpreter <= BackboneImporter.HOST_TOLERANCE
        && importedVsOriginal <= BackboneImporter.TFLITE_TOLERANCE
        && (Double.isNaN(convertedVsTfjs) || convertedVsTfjs <= BackboneImporter.TFJS_TOLERANCE);
  }
}
