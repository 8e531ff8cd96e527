package dev.promptedge.tools.importer;

import dev.promptedge.tools.files.FileTrees;
import dev.promptedge.tools.json.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a TF.js graph model with {@code @tensorflow/tfjs} on Node ({@code tfjs-reference.js} in a
 * directory holding its {@code node_modules}) and returns chosen node outputs in TF.js' own layout.
 * Offline: the script loads the model from disk. Stateless.
 */
public final class TfjsReference {

  private final Path scriptDir;

  /** A reference runner using {@code dir/tfjs-reference.js} and {@code dir/node_modules}. */
  public TfjsReference(Path dir) {
    this.scriptDir = dir;
  }

  /** Why the reference cannot run here, or null when it can. */
  public String missing() {
    if (!Files.isRegularFile(scriptDir.resolve("tfjs-reference.js"))) {
      return "no tfjs-reference.js in " + scriptDir;
    }
    if (!Files.isDirectory(scriptDir.resolve("node_modules/@tensorflow/tfjs"))) {
      return "no node_modules/@tensorflow/tfjs in " + scriptDir + " (run `npm ci` there)";
    }
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "node did not run";
    } catch (IOException | InterruptedException e) {
      return "no `node` on the PATH (" + e.getMessage() + ")";
    }
  }

  /**
   * Runs {@code modelJson} on {@code input} (row-major in {@code shape}, the model's own layout)
   * and returns the outputs of {@code nodes}, row-major in TF.js' layout.
   */
  public List<float[]> run(Path modelJson, float[] input, int[] shape, List<String> nodes) {
    Path work = null;
    try {
      work = Files.createTempDirectory("tfjs-reference");
      Path in = work.resolve("input.f32");
      ByteBuffer b = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(input);
      Files.write(in, b.array());
      StringBuilder dims = new StringBuilder();
      for (int d : shape) {
        dims.append(dims.length() == 0 ? "" : ",").append(d);
      }
      Path out = work.resolve("out");
      Process p =
          new ProcessBuilder(
                  "node",
                  scriptDir.resolve("tfjs-reference.js").toAbsolutePath().toString(),
                  modelJson.toAbsolutePath().toString(),
                  in.toString(),
                  dims.toString(),
                  out.toString(),
                  String.join(",", nodes))
              .directory(scriptDir.toAbsolutePath().toFile())
              .redirectErrorStream(true)
              .start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new ImportException("the TF.js reference failed: " + log.strip());
      }
      Map<?, ?> listed = (Map<?, ?>) Json.parse(Files.readString(out.resolve("reference.json")));
      List<float[]> tensors = new ArrayList<>();
      for (Object t : (List<?>) listed.get("tensors")) {
        byte[] raw = Files.readAllBytes(out.resolve((String) ((Map<?, ?>) t).get("file")));
        float[] values = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        tensors.add(values);
      }
      return tensors;
    } catch (IOException e) {
      throw new ImportException("the TF.js reference could not run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImportException("interrupted while the TF.js reference ran");
    } finally {
      delete(work);
    }
  }

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      // a leftover temp directory is harmless
    }
  }
}
