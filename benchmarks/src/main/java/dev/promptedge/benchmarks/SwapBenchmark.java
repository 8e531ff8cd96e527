package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.task.TaskEngine;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
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
 * Swap between two resident bundles on the int8 backbone (2 threads, XNNPACK on TFLite) of each
 * engine, alternating so that every call changes the active task: {@link #swap} is what inference
 * sees ({@code TaskEngine.switchTo}, which returns before {@code ACTIVE} is written; the engine's
 * writer thread writes the latest choice meanwhile), {@link #acknowledged} is {@code
 * TaskEngine.activate}, the switch plus the wait for that write (what the API answers on).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SwapBenchmark {

  @Param("")
  public String work;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  private Backbone backbone;
  private TaskEngine tasks;
  private final String[] names = {Workbench.taskName(0), Workbench.taskName(1)};
  private int next;

  @Setup(Level.Trial)
  public void open() {
    Workbench bench = Workbench.open(Path.of(work));
    InterpreterConfig config = Workbench.daemon(engine);
    backbone = Backbone.open(bench.card(), true, config);
    tasks = Engines.withTasks(bench, backbone, config, "swap", 0, 1);
  }

  /** The switch alone: the next inference uses the new task when this returns. */
  @Benchmark
  public CompletableFuture<Void> swap() {
    next ^= 1;
    return tasks.switchTo(names[next]);
  }

  /** The switch and its acknowledgement: the choice is on disk when this returns. */
  @Benchmark
  public void acknowledged() {
    next ^= 1;
    tasks.activate(names[next]);
  }

  @TearDown(Level.Trial)
  public void close() {
    tasks.close();
    backbone.close();
  }
}
