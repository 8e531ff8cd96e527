package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Mixed-task batching on the int8 backbone of each engine (2 threads, XNNPACK on TFLite): four
 * requests for four resident tasks (detection, segmentation, detection, segmentation) as one {@code
 * TaskEngine.infer(List)} (one backbone call of batch 4, one head call per task) vs the same four
 * one at a time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchBenchmark {

  /** Requests per batch. */
  public static final int BATCH = 4;

  @Param("")
  public String work;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  private Backbone backbone;
  private TaskEngine tasks;
  private List<TaskRequest> requests;

  @Setup(Level.Trial)
  public void open() {
    Workbench bench = Workbench.open(Path.of(work));
    InterpreterConfig config = Workbench.daemon(engine);
    backbone = Backbone.open(bench.card(), true, config);
    tasks = Engines.withTasks(bench, backbone, config, "batch", 0, 1, 2, 3);
    BufferedImage image = Engines.image(bench);
    requests = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      requests.add(TaskRequest.of(image, Workbench.taskName(i)));
    }
  }

  @Benchmark
  public List<InferenceResult> batched() {
    return tasks.infer(requests);
  }

  @Benchmark
  public InferenceResult sequential() {
    InferenceResult last = null;
    for (TaskRequest request : requests) {
      last = tasks.infer(request);
    }
    return last;
  }

  @TearDown(Level.Trial)
  public void close() {
    tasks.close();
    backbone.close();
  }
}
