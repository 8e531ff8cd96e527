package dev.promptedge.tools.importer;

import dev.promptedge.format.BackboneCard;
import dev.promptedge.format.FeatureOutput;
import dev.promptedge.format.ModelFile;
import dev.promptedge.format.Precision;
import dev.promptedge.format.PromptInput;
import dev.promptedge.format.PromptKind;
import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.AtomicFiles;
import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes an {@link ImportedBackbone} as {@code NAME.tflite} and its contract v2 card {@code
 * NAME.card.textproto}: input size, prompt inputs and feature outputs as imported, the
 * normalization, and in the provenance the source's hash, the cut tensors, the prompt placements,
 * the license and the parity figures. Stateless.
 */
public final class ImportedCard {

  private ImportedCard() {}

  /**
   * What the card records besides the imported model.
   *
   * @param name card name and file stem
   * @param architecture architecture family, e.g. {@code nanodet}
   * @param normalization the pixel normalization and why
   * @param license the source's license string
   * @param provenance command, tool and time; the source, its hash and the notes are added here
   */
  public record Details(
      String name,
      String architecture,
      CardNormalization normalization,
      String license,
      Provenance provenance) {}

  /** Writes the model and its card into {@code dir}; returns the card as read back. */
  public static CardFile write(Path dir, Path source, ImportedBackbone b, Details d)
      throws IOException {
    String modelName = d.name() + ".tflite";
    AtomicFiles.write(dir.resolve(modelName), b.model());
    BackboneCard.Builder card =
        BackboneCard.newBuilder()
            .setFormatVersion(CardFile.FORMAT_VERSION)
            .setName(d.name())
            .setArchitecture(d.architecture())
            .setInputHeight(b.inputHeight())
            .setInputWidth(b.inputWidth())
            .setNormalization(d.normalization().normalization())
            .setSignature(ImportedBackbone.SIGNATURE)
            .setFloatModel(
                ModelFile.newBuilder()
                    .setPath(modelName)
                    .setSha256(Sha256.hex(b.model()))
                    .setSizeBytes(b.model().length)
                    .setPrecision(Precision.FLOAT32));
    for (ImportedBackbone.PromptInput p : b.prompts()) {
      card.addPromptInputs(
          PromptInput.newBuilder()
              .setName(p.name())
              .setKind(PromptKind.valueOf(p.kind().name()))
              .addAllShape(p.shape())
              .setPlacement(p.placement()));
    }
    for (ImportedBackbone.FeatureOutput f : b.features()) {
      card.addFeatureOutputs(
          FeatureOutput.newBuilder()
              .setName(f.name())
              .setStride(f.stride())
              .setChannels(f.channels())
              .setHeight(f.height())
              .setWidth(f.width()));
    }
    card.setProvenance(provenance(source, b, d));
    return CardFile.write(dir.resolve(d.name() + CardFile.SUFFIX), card.build());
  }

  private static Provenance provenance(Path source, ImportedBackbone b, Details d) {
    Provenance.Builder p =
        d.provenance().toBuilder()
            .setData("imported from " + source.getFileName())
            .setDataSha256(b.sourceSha256())
            .addNotes("license: " + (d.license().isBlank() ? "(not given)" : d.license()));
    for (ImportedBackbone.FeatureOutput f : b.features()) {
      p.addNotes("cut: " + f.name() + " is source tensor '" + f.source() + "'");
    }
    for (ImportedBackbone.PromptInput in : b.prompts()) {
      p.addNotes(
          "prompt: "
              + in.name()
              + " ("
              + in.kind()
              + " "
              + in.shape()
              + ") after '"
              + in.placement()
              + "'");
    }
    p.addNotes("batch: " + (b.dynamicBatch() ? "dynamic" : "fixed at 1"));
    p.addNotes("normalization: " + d.normalization().reason());
    ImportParity q = b.parity();
    p.addNotes(
        String.format(
            Locale.ROOT,
            "parity (max |diff| / max |reference|): host engine vs interpreter %.2e, identity"
                + " prompts vs source %.2e, converted vs TF.js %s; %s",
            q.hostVsInterpreter(),
            q.importedVsOriginal(),
            Double.isNaN(q.convertedVsTfjs())
                ? "not run"
                : String.format(Locale.ROOT, "%.2e", q.convertedVsTfjs()),
            q.note()));
    return p.build();
  }
}
