package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.store.BundleStore;
import dev.promptedge.runtime.task.InstallResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.tools.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cold install of a signed detection bundle on a fresh store: Ed25519 verification, then {@code
 * TaskEngine.install} (parse and checks, head interpreter, self-test through backbone and head,
 * fsync'd store write, activation), on each engine's int8 backbone. The backbone is open already,
 * as on a running device. With {@code store=tmpfs} the store lives in {@code /dev/shm}, where an
 * fsync costs nothing: the difference to {@code store=disk} is what the disk's two durable writes
 * (the bundle file, then {@code ACTIVE}) add.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InstallBenchmark {

  @Param("")
  public String work;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  @Param({"disk", "tmpfs"})
  public String store;

  /** Linux's memory-backed file system. */
  static final Path TMPFS = Path.of("/dev/shm");

  private Workbench bench;
  private Backbone backbone;
  private SignatureCheck signatures;
  private byte[] signed;
  private Path storeDir;
  private InterpreterConfig config;
  private TaskEngine tasks;

  @Setup(Level.Trial)
  public void open() throws IOException {
    bench = Workbench.open(Path.of(work));
    config = Workbench.daemon(engine);
    backbone = Backbone.open(bench.card(), true, config);
    signatures = SignatureCheck.pinned(bench.publicKeyFile());
    signed = bench.signedBundle(0);
    String name = "install-" + ProcessHandle.current().pid();
    storeDir =
        store.equals("tmpfs")
            ? Files.createDirectories(TMPFS.resolve("promptedge-bench")).resolve(name)
            : bench.scratch(name);
  }

  @Setup(Level.Invocation)
  public void freshStore() throws IOException {
    FileTrees.deleteTree(storeDir);
    tasks = TaskEngine.open(backbone, BundleStore.open(storeDir), Engines.settings(config));
  }

  @Benchmark
  public InstallResult install() {
    signatures.verify(signed);
    return tasks.install(signed);
  }

  @TearDown(Level.Invocation)
  public void closeEngine() {
    tasks.close();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    backbone.close();
    FileTrees.deleteTree(storeDir);
  }
}
