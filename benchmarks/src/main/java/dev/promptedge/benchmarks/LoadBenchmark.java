package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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

/**
 * The demo anomaly: backbone calls of the micro ViT (float; XNNPACK on TFLite) on each engine with
 * 1 or 2 interpreter threads while {@code load} other processes' threads spin on the CPU ({@link
 * CpuBurner}, a separate JVM started for the trial). The tail (p99, max) is what matters here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LoadBenchmark {

  @Param("")
  public String work;

  @Param({"1", "2"})
  public int threads;

  @Param({"0", "2"})
  public int load;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  private Backbone backbone;
  private float[] pixels;
  private float[] prompt;
  private Process burner;

  @Setup(Level.Trial)
  public void open() throws IOException {
    Workbench bench = Workbench.open(Path.of(work));
    backbone =
        Backbone.open(
            bench.microCard(),
            false,
            new InterpreterConfig(threads, true, Optional.empty())
                .withEngine(EngineKind.parse(engine)));
    pixels = new float[backbone.pixelSize()];
    prompt = new float[backbone.promptInputs().get(0).size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i % 17) / 17f - 0.5f;
    }
    if (load > 0) {
      burner = CpuBurner.start(load);
    }
  }

  @Benchmark
  public Map<String, float[]> encode() {
    return backbone.encode(pixels, Map.of(backbone.promptInputs().get(0).name(), prompt), 1);
  }

  @TearDown(Level.Trial)
  public void close() throws InterruptedException {
    backbone.close();
    if (burner != null) {
      CpuBurner.stop(burner);
    }
  }
}
