package dev.promptedge.benchmarks;

import dev.promptedge.format.PromptBundle;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.bundle.BundleInputs;
import dev.promptedge.runtime.bundle.BundleReader;
import dev.promptedge.runtime.bundle.HeadModel;
import dev.promptedge.runtime.image.Preprocessor;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskEngine;
import dev.promptedge.runtime.task.TaskRequest;
import dev.promptedge.runtime.tflite.InterpreterConfig;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
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
import org.tensorflow.lite.Interpreter;

/**
 * One image through backbone and head (a detection bundle), three ways on the same model files and
 * interpreter settings: {@link #raw} calls {@link Interpreter} directly with pre-filled direct
 * buffers (backbone, then the head reading the backbone's output buffer); {@link #runtime} is the
 * runtime's model path, {@code Backbone.encode} + {@code HeadModel.run} from float arrays (buffer
 * copies, signature maps); {@link #engine} is {@code TaskEngine.infer}: letterbox + normalize of
 * the decoded image, the runtime path, and post-processing (decode + NMS).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmark {

  /** The micro ViT's token prompt input and feature output. */
  private static final String PROMPT = "prompt";

  private static final String FEATURES = "features";

  @Param("")
  public String work;

  @Param({"int8", "float"})
  public String precision;

  @Param({"1", "2"})
  public int threads;

  @Param({"true", "false"})
  public boolean xnnpack;

  private Backbone backbone;
  private TaskEngine engine;
  private TaskRequest request;
  private HeadModel head;
  private float[] pixels;
  private float[] prompt;
  private Interpreter rawBackbone;
  private Interpreter rawHead;
  private Object[] backboneInputs;
  private Map<Integer, Object> backboneOutputs;
  private Object[] headInputs;
  private Map<Integer, Object> headOutputs;

  @Setup(Level.Trial)
  public void open() {
    Workbench bench = Workbench.open(Path.of(work));
    InterpreterConfig config = new InterpreterConfig(threads, xnnpack, Optional.empty());
    boolean quantized = precision.equals("int8");
    CardFile card = bench.card();
    backbone = Backbone.open(card, quantized, config);
    engine = Engines.withTasks(bench, backbone, config, "infer", 0);
    BufferedImage image = Engines.image(bench);
    request = TaskRequest.active(image);

    PromptBundle bundle = BundleReader.parse(bench.bundle(0), Long.MAX_VALUE).bundle();
    head = HeadModel.open(bundle, card, config);
    pixels = Preprocessor.forCard(card.card()).prepare(image).pixels();
    prompt = BundleInputs.prompts(bundle).get(PROMPT);

    rawBackbone = new Interpreter(Engines.map(card.modelPath(quantized)), Engines.options(config));
    String key = card.card().getSignature();
    ByteBuffer pixelBuffer = Engines.direct(pixels.length * Float.BYTES);
    pixelBuffer.asFloatBuffer().put(pixels);
    ByteBuffer promptBuffer = Engines.direct(prompt.length * Float.BYTES);
    promptBuffer.asFloatBuffer().put(prompt);
    backboneInputs = new Object[2];
    backboneInputs[Engines.inputPosition(rawBackbone, key, Backbone.PIXELS)] = pixelBuffer;
    backboneInputs[Engines.inputPosition(rawBackbone, key, PROMPT)] = promptBuffer;
    ByteBuffer features = Engines.direct(backbone.featureOutputs().get(0).size() * Float.BYTES);
    backboneOutputs = Map.of(Engines.outputPosition(rawBackbone, key, FEATURES), features);

    byte[] headBytes = bundle.getHead().toByteArray();
    ByteBuffer headModel = Engines.direct(headBytes.length);
    headModel.put(headBytes).rewind();
    rawHead = new Interpreter(headModel, Engines.options(config));
    headInputs = new Object[] {features};
    headOutputs = Map.of(0, Engines.direct(head.outputSize() * Float.BYTES));
  }

  @Benchmark
  public Object raw() {
    for (Object b : backboneInputs) {
      ((ByteBuffer) b).rewind();
    }
    ByteBuffer features = (ByteBuffer) backboneOutputs.values().iterator().next();
    features.rewind();
    rawBackbone.runForMultipleInputsOutputs(backboneInputs, backboneOutputs);
    features.rewind();
    ByteBuffer out = (ByteBuffer) headOutputs.get(0);
    out.rewind();
    rawHead.runForMultipleInputsOutputs(headInputs, headOutputs);
    return out;
  }

  @Benchmark
  public float[] runtime() {
    return head.run(backbone.encode(pixels, Map.of(PROMPT, prompt), 1), 1);
  }

  @Benchmark
  public InferenceResult engine() {
    return engine.infer(request);
  }

  @TearDown(Level.Trial)
  public void close() {
    rawHead.close();
    rawBackbone.close();
    head.close();
    engine.close();
    backbone.close();
  }
}
