package dev.promptedge.tools.importer;

import dev.promptedge.format.Provenance;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One run of {@link ImportWorkflow}. Immutable value.
 *
 * @param model the source {@code .tflite} or TF.js {@code model.json}
 * @param out folder the imported model and its card go to
 * @param options feature tensors, prompt inputs, input size, TF.js reference
 * @param normalization {@code auto}, {@code mean,std} or six numbers, as {@link
 *     CardNormalization#resolve} takes it
 * @param name card name and file stem
 * @param architecture architecture family recorded in the card
 * @param license the source's license string
 * @param provenance command and tool; the workflow stamps the time when it writes the card
 * @param timeRuns batch-1 forwards to time on each engine; 0 = none
 */
public record ImportRequest(
    Path model,
    Path out,
    BackboneImporter.Options options,
    String normalization,
    String name,
    String architecture,
    String license,
    Provenance provenance,
    int timeRuns) {

  /** Checks that every part is there. */
  public ImportRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(normalization, "normalization");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(license, "license");
    Objects.requireNonNull(provenance, "provenance");
  }
}
