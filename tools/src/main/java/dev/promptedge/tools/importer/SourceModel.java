package dev.promptedge.tools.importer;

import dev.promptedge.runtime.store.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model to import, read into an {@link ImportGraph}: a {@code .tflite} file as it is, or a TF.js
 * {@code model.json} converted at the requested input size (0 × 0 = the model's own). Immutable;
 * {@link #graph()} returns a fresh copy for each transform chain.
 *
 * @param path the file given
 * @param sha256 hex SHA-256 of its bytes
 * @param tfjs the TF.js conversion, or null for a .tflite source
 */
record SourceModel(Path path, String sha256, ImportGraph original, TfjsConverter.Conversion tfjs) {

  static SourceModel read(Path path, int inputHeight, int inputWidth) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ImportException("cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    String hash = Sha256.hex(bytes);
    if (path.getFileName().toString().endsWith(".json")) {
      TfjsModel model = TfjsModel.read(path);
      TfjsConverter.Conversion c =
          inputHeight > 0
              ? TfjsConverter.convert(model, inputHeight, inputWidth)
              : TfjsConverter.convert(model);
      return new SourceModel(path, hash, c.graph(), c);
    }
    if (inputHeight > 0) {
      throw new ImportException(
          "--input-size applies to TF.js models; a .tflite keeps the input size it was built for");
    }
    return new SourceModel(path, hash, TfliteSource.read(bytes), null);
  }

  ImportGraph graph() {
    return original.copy();
  }

  /** The single 4-D input the importer treats as the pixels. */
  String pixelInput() {
    String found = null;
    for (var e : original.inputs.entrySet()) {
      int[] s = original.tensor(e.getValue()).shape;
      if (s.length == 4 && s[3] == 3) {
        if (found != null) {
          throw new ImportException(
              "the model has two image inputs ('" + found + "', '" + e.getKey() + "')");
        }
        found = e.getKey();
      }
    }
    if (found == null) {
      throw new ImportException(
          "the model has no NHWC image input [N,H,W,3] (inputs: " + original.inputs.keySet() + ")");
    }
    return found;
  }
}
