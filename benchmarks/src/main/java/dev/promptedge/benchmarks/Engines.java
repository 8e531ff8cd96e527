package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.ImageDecoder;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.EngineSettings;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.files.FileTrees;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.tensorflow.lite.Interpreter;

/** What the benchmark states share: engines over a pre-filled store, images, raw interpreters. */
final class Engines {

  private Engines() {}

  /**
   * A task engine whose store already holds {@code tasks} (bundle indices) with the first one
   * persisted as active, so that opening it activates that task without a self-test; every task is
   * made resident and the first is active again on return.
   */
  static TaskEngine withTasks(
      Workbench bench, Backbone backbone, InterpreterConfig config, String store, int... tasks) {
    Path dir = bench.scratch(store + "-" + ProcessHandle.current().pid());
    try {
      FileTrees.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BundleStore fresh = BundleStore.open(dir);
    for (int i : tasks) {
      fresh.put(Workbench.taskName(i), bench.bundle(i));
    }
    fresh.setActive(Workbench.taskName(tasks[0]));
    TaskEngine engine = TaskEngine.open(backbone, BundleStore.open(dir), settings(config));
    for (int k = tasks.length - 1; k >= 0; k--) {
      engine.activate(Workbench.taskName(tasks[k]));
    }
    return engine;
  }

  static EngineSettings settings(InterpreterConfig config) {
    return new EngineSettings(
        config, EngineSettings.DEFAULT_RESIDENT_BUDGET, BundleReader.DEFAULT_MAX_BYTES);
  }

  /** The workbench's request image, decoded as the daemon would. */
  static BufferedImage image(Workbench bench) {
    try {
      return new ImageDecoder().decode(Files.readAllBytes(bench.image()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A read-only mapping of {@code file}, as the runtime maps its backbone. */
  static MappedByteBuffer map(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Interpreter options of {@code config}, as the runtime's SignatureRunner sets them. */
  static Interpreter.Options options(InterpreterConfig config) {
    return new Interpreter.Options()
        .setNumThreads(config.threads())
        .setUseXNNPACK(config.xnnpack());
  }

  /** The graph input position of signature input {@code name}. */
  static int inputPosition(Interpreter interpreter, String key, String name) {
    int index = interpreter.getInputTensorFromSignature(name, key).index();
    for (int i = 0; i < interpreter.getInputTensorCount(); i++) {
      if (interpreter.getInputTensor(i).index() == index) {
        return i;
      }
    }
    throw new IllegalStateException("signature input " + name + " is not a graph input");
  }

  /** The graph output position of signature output {@code name}. */
  static int outputPosition(Interpreter interpreter, String key, String name) {
    int index = interpreter.getOutputTensorFromSignature(name, key).index();
    for (int i = 0; i < interpreter.getOutputTensorCount(); i++) {
      if (interpreter.getOutputTensor(i).index() == index) {
        return i;
      }
    }
    throw new IllegalStateException("signature output " + name + " is not a graph output");
  }

  /** A native-order direct buffer of {@code bytes} bytes. */
  static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(java.nio.ByteOrder.nativeOrder());
  }
}
