package dev.promptedge.tools.train;

import dev.promptedge.runtime.store.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: named float arrays (prompt, head, trainable backbone constants, Adam
 * moments, the best epoch's values, the curves) and named scalars (epoch, steps, ...) plus a
 * fingerprint of the run it belongs to. Written atomically (temp file, fsync, rename), so a run
 * killed at any moment leaves the previous or the new checkpoint, never half of one.
 *
 * @param fingerprint what must match to resume: task, mode, backbone hash, data, hyper-parameters
 * @param arrays named float arrays
 * @param scalars named integers
 */
record Checkpoint(String fingerprint, Map<String, float[]> arrays, Map<String, Long> scalars) {

  static final String FILE_NAME = "checkpoint.bin";
  private static final int MAGIC = 0x50455443; // "PETC"
  private static final int VERSION = 1;

  void write(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(fingerprint);
      out.writeInt(scalars.size());
      for (Map.Entry<String, Long> e : scalars.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(arrays.size());
      for (Map.Entry<String, float[]> e : arrays.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeInt(e.getValue().length);
        for (float v : e.getValue()) {
          out.writeFloat(v);
        }
      }
    }
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(FILE_NAME), bytes.toByteArray());
  }

  static Checkpoint read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no checkpoint " + file + " to resume from; run without --resume to start afresh");
    }
    try (DataInputStream in =
        new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
      if (in.readInt() != MAGIC || in.readInt() != VERSION) {
        throw new IllegalArgumentException(
            file + " is not a PromptEdge training checkpoint of format " + VERSION);
      }
      String fingerprint = in.readUTF();
      Map<String, Long> scalars = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        scalars.put(in.readUTF(), in.readLong());
      }
      Map<String, float[]> arrays = new LinkedHashMap<>();
      for (int i = in.readInt(); i > 0; i--) {
        String name = in.readUTF();
        float[] values = new float[in.readInt()];
        for (int j = 0; j < values.length; j++) {
          values[j] = in.readFloat();
        }
        arrays.put(name, values);
      }
      return new Checkpoint(fingerprint, arrays, scalars);
    }
  }
}
