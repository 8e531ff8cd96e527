package dev.promptedge.benchmarks;

import dev.promptedge.runtime.tflite.TfliteNative;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
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
import org.tensorflow.lite.Interpreter;

/**
 * Swap baseline: what a runtime without bundles does to change task, create an interpreter (2
 * threads, XNNPACK) for a baked task model (backbone + head, int8 weights) already mapped in
 * memory, with its tensors allocated. Closing the previous interpreter is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NewInterpreterBenchmark {

  @Param("")
  public String work;

  private MappedByteBuffer model;
  private Interpreter created;

  @Setup(Level.Trial)
  public void map() {
    TfliteNative.load(Optional.empty());
    model = Engines.map(Workbench.open(Path.of(work)).bakedModel(0));
  }

  @Benchmark
  public Interpreter create() {
    created = new Interpreter(model, Engines.options(Workbench.DAEMON));
    created.allocateTensors();
    return created;
  }

  @TearDown(Level.Invocation)
  public void closeCreated() {
    if (created != null) {
      created.close();
      created = null;
    }
  }
}
