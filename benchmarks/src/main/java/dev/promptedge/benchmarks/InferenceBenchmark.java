package dev.promptedge.benchmarks;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import java.awt.image.BufferedImage;
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
 * One image through backbone and head (a detection bundle), three ways on the same model files and
 * engine settings: {@link #raw} is the bare engine with pre-filled direct buffers ({@link
 * RawInference}: backbone, then the head reading the backbone's output buffer); {@link #runtime} is
 * the runtime's model path, {@code Backbone.encode} + {@code HeadModel.run} from float arrays
 * (buffer copies, signature maps); {@link #engine} is {@code TaskEngine.infer}: letterbox +
 * normalize of the decoded image, the runtime path, and post-processing (decode + NMS). {@code
 * xnnpack} is a TFLite delegate: ONNX Runtime ignores it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmark {

  @Param("")
  public String work;

  @Param({"tflite", "onnxruntime"})
  public String engine;

  @Param({"int8", "float"})
  public String precision;

  @Param({"1", "2"})
  public int threads;

  @Param({"true", "false"})
  public boolean xnnpack;

  private Backbone backbone;
  private TaskEngine tasks;
  private TaskRequest request;
  private HeadModel head;
  private float[] pixels;
  private float[] prompt;
  private RawInference bare;

  @Setup(Level.Trial)
  public void open() {
    Workbench bench = Workbench.open(Path.of(work));
    InterpreterConfig config =
        new InterpreterConfig(threads, xnnpack, Optional.empty())
            .withEngine(EngineKind.parse(engine));
    boolean quantized = precision.equals("int8");
    CardFile card = bench.card();
    backbone = Backbone.open(card, quantized, config);
    tasks = Engines.withTasks(bench, backbone, config, "infer", 0);
    BufferedImage image = Engines.image(bench);
    request = TaskRequest.active(image);

    PromptBundle bundle = BundleReader.parse(bench.bundle(0), Long.MAX_VALUE).bundle();
    head = HeadModel.open(bundle, card, config);
    pixels = Preprocessor.forCard(card.card()).prepare(image).pixels();
    prompt = BundleInputs.prompts(bundle).get(RawInference.PROMPT);
    bare =
        RawInference.open(
            new RawInference.Inputs(
                card,
                quantized,
                bundle,
                pixels,
                prompt,
                backbone.featureOutputs().get(0).size(),
                head.outputSize()),
            config);
  }

  @Benchmark
  public Object raw() {
    return bare.run();
  }

  @Benchmark
  public float[] runtime() {
    return head.run(backbone.encode(pixels, Map.of(RawInference.PROMPT, prompt), 1), 1);
  }

  @Benchmark
  public InferenceResult engine() {
    return tasks.infer(request);
  }

  @TearDown(Level.Trial)
  public void close() {
    bare.close();
    head.close();
    tasks.close();
    backbone.close();
  }
}
