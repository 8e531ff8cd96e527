package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.graph.CnnFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promptedge backbone export} on the micro CNN's card. */
class BackboneExportCommandTest {

  @TempDir Path dir;

  @Test
  void writesTheOnnxFileBesideTheCardAndRecordsItsHash() throws Exception {
    CardFile card =
        CnnFiles.writeCnn(
            dir, "cnn", 4, 3, Provenance.newBuilder().setCommand("test").setTool("t").build());
    assertFalse(card.card().hasOnnxModel());
    Cli r = Cli.run("backbone", "export", "--card", card.path().toString());
    assertEquals(0, r.code(), r.out() + r.err());
    CardFile exported = CardFile.read(card.path());
    Path onnx = dir.resolve(exported.card().getOnnxModel().getPath());
    byte[] bytes = Files.readAllBytes(onnx);
    assertEquals(Sha256.hex(bytes), exported.card().getOnnxModel().getSha256());
    assertEquals(bytes.length, exported.card().getOnnxModel().getSizeBytes());
    assertTrue(r.out().contains(exported.card().getOnnxModel().getSha256()), r.out());
  }

  @Test
  void refusesAnotherFormat() throws Exception {
    CardFile card =
        CnnFiles.writeCnn(
            dir, "cnn", 4, 3, Provenance.newBuilder().setCommand("test").setTool("t").build());
    Cli r = Cli.run("backbone", "export", "--card", card.path().toString(), "--format", "tflite");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("use --format onnx"), r.err());
  }
}
