package dev.promptedge.benchmarks;

import ai.onnxruntime.OrtException;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.OrtSessions;
import dev.promptedge.runtime.tflite.TfliteNative;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
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
 * memory, with its tensors allocated; on ONNX Runtime, a session with the runtime's settings for
 * the model's QDQ form, already read into memory. Closing the previous one is not timed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NewInterpreterBenchmark {

  @Param("")
  public String work;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  private MappedByteBuffer model;
  private byte[] onnx;
  private AutoCloseable created;

  @Setup(Level.Trial)
  public void map() throws IOException {
    Workbench bench = Workbench.open(Path.of(work));
    EngineKind kind = EngineKind.parse(engine);
    if (kind == EngineKind.ONNXRUNTIME) {
      onnx = Files.readAllBytes(bench.bakedModel(0, kind));
    } else {
      TfliteNative.load(Optional.empty());
      model = Engines.map(bench.bakedModel(0, kind));
    }
  }

  @Benchmark
  public Object create() throws OrtException {
    if (onnx != null) {
      created = OrtSessions.create(onnx, Workbench.DAEMON);
      return created;
    }
    Interpreter interpreter = new Interpreter(model, Engines.options(Workbench.DAEMON));
    created = interpreter;
    interpreter.allocateTensors();
    return interpreter;
  }

  @TearDown(Level.Invocation)
  public void closeCreated() throws Exception {
    if (created != null) {
      created.close();
      created = null;
    }
  }
}
