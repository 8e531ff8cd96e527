package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files every benchmark reads, prepared once per run by {@link WorkbenchSetup} in one
 * directory: the backbone card (float and int8 model, each also in ONNX form), {@value #TASKS}
 * packed bundles (detection and segmentation alternating, with self-test expectations for all four
 * backbone files), the same bundles signed, one baked task model per bundle and engine, the public
 * key, and a micro backbone for the load test. Immutable; benchmarks open it by path.
 */
public record Workbench(Path dir) {

  /** Bundles (and baked task models) prepared: enough for the 10-task memory row. */
  public static final int TASKS = 10;

  /** Interpreter settings of the daemon-like rows: 2 threads, XNNPACK on. */
  public static final InterpreterConfig DAEMON = new InterpreterConfig(2, true, Optional.empty());

  /** The engines every row is measured on, by their profile names. */
  public static final List<String> ENGINES = List.of("tflite", "onnxruntime");

  /** {@link #DAEMON} on the engine of profile name {@code engine}. */
  public static InterpreterConfig daemon(String engine) {
    return DAEMON.withEngine(EngineKind.parse(engine));
  }

  /** Opens a prepared directory; fails when {@link WorkbenchSetup} has not finished there. */
  public static Workbench open(Path dir) {
    if (!Files.exists(dir.resolve(WorkbenchSetup.DONE))) {
      throw new IllegalStateException(
          "no prepared workbench in " + dir + ": run dev.promptedge.benchmarks.Report first");
    }
    return new Workbench(dir);
  }

  /** The backbone under test (float and int8 model files and their ONNX forms beside it). */
  public CardFile card() {
    return CardFile.read(single(dir.resolve("backbone")));
  }

  /** The micro backbone (float, and its ONNX form) of the load test. */
  public CardFile microCard() {
    return CardFile.read(single(dir.resolve("micro")));
  }

  /** Unsigned bundle {@code i} (0-based), packed for {@link #card()}. */
  public byte[] bundle(int i) {
    return read(dir.resolve("bundles").resolve(taskName(i) + ".bundle"));
  }

  /** Bundle {@code i} with an Ed25519 signature by {@link #publicKeyFile()}'s key. */
  public byte[] signedBundle(int i) {
    return read(dir.resolve("signed").resolve(taskName(i) + ".bundle"));
  }

  /** The X.509 PEM public key the signed bundles verify against. */
  public Path publicKeyFile() {
    return dir.resolve("keys").resolve("bench.pub");
  }

  /**
   * Baked task model {@code i} for {@code engine}: backbone + bundle {@code i}'s prompt and head in
   * one file, int8 weights; the {@code .tflite} file, or for ONNX Runtime its QDQ translation.
   */
  public Path bakedModel(int i, EngineKind engine) {
    String suffix = engine == EngineKind.ONNXRUNTIME ? ".onnx" : ".tflite";
    return dir.resolve("baked").resolve(taskName(i) + suffix);
  }

  /** A PNG of the backbone's input size, for requests. */
  public Path image() {
    return dir.resolve("image.png");
  }

  /** A scratch directory for stores, created on demand. */
  public Path scratch(String name) {
    try {
      return Files.createDirectories(dir.resolve("scratch")).resolve(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Name of task {@code i}: {@code task-00}, {@code task-01}, ... */
  public static String taskName(int i) {
    return String.format("task-%02d", i);
  }

  /** Description of the backbone as written by the setup (spec, seed, where it came from). */
  public String description() {
    return new String(read(dir.resolve(WorkbenchSetup.DONE)), StandardCharsets.UTF_8).strip();
  }

  static Path single(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> cards =
          new ArrayList<>(
              files.filter(p -> p.getFileName().toString().endsWith(CardFile.SUFFIX)).toList());
      if (cards.size() != 1) {
        throw new IllegalStateException("expected one card in " + dir + ", found " + cards);
      }
      return cards.get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
