package dev.promptedge.tools.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.backbone.FeatureMap;
import dev.promptedge.runtime.backbone.PromptSlot;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.runtime.engine.SignatureRunner;
import dev.promptedge.tools.files.FileTrees;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.GraphExecutor;
import dev.promptedge.tools.graph.InterpreterParity;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import dev.promptedge.tools.quantize.Calibration;
import dev.promptedge.tools.quantize.CalibrationImages;
import dev.promptedge.tools.quantize.QuantizedBackboneFiles;
import dev.promptedge.tools.quantize.Quantizer;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge backbone throughput}: how fast the host engine trains prompts and how fast the
 * interpreter runs the same model, float and full-integer int8, printed side by side.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description = {
      "Time a prompt-training step on the host engine (DJL/PyTorch: forward + backward of a"
          + " mean-square loss over the card's feature outputs, gradients for the card's prompt"
          + " inputs only: tokens, pixel or channel scale/shift) and inference in the TFLite"
          + " interpreter (float32 and full-integer int8, batch B and batch 1), and print them side"
          + " by side: median and p90 ms per step, images/s and the ratio to the training step."
          + " Without --card: the micro ViT and a demo-size ViT (64x64, patch 8, D 128, depth 4,"
          + " P 8).",
      "",
      "Example: promptedge backbone throughput --batch 32 --steps 10 --threads 2"
    })
final class BackboneThroughputCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--card",
      paramLabel = "CARD",
      description = "Time this backbone instead of the micro and demo ViTs.")
  Path cardPath;

  @Option(names = "--batch", defaultValue = "32", description = "Batch (default: 32).")
  int batch;

  @Option(
      names = "--steps",
      defaultValue = "10",
      paramLabel = "N",
      description = "Measured iterations per row, after the warm-up (default: 10).")
  int steps;

  @Option(
      names = "--warmup",
      defaultValue = "3",
      paramLabel = "N",
      description = "Warm-up iterations per row, not measured (default: 3).")
  int warmup;

  @CommandLine.Mixin ThreadsOption threads = new ThreadsOption(2);

  @Option(
      names = "--xnnpack",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Use the interpreter's XNNPACK delegate (default: on).")
  boolean xnnpack;

  @CommandLine.Mixin SeedOption seed = new SeedOption(7);

  @Override
  public Integer call() throws Exception {
    if (batch < 1 || steps < 1 || warmup < 0 || threads.value() < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--batch, --steps and --threads must be positive, --warmup >= 0");
    }
    int previous = GraphExecutor.setThreads(threads.value());
    try {
      return run(spec.commandLine().getOut());
    } finally {
      GraphExecutor.setThreads(previous);
    }
  }

  private int run(PrintWriter out) throws Exception {
    InterpreterConfig config = new InterpreterConfig(threads.value(), xnnpack, Optional.empty());
    out.printf(
        "JVM %s %s (%s); CPU %s, %d cores online; threads: PyTorch %d, interpreter %d (XNNPACK"
            + " %s)%n",
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        System.getProperty("os.arch"),
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        GraphExecutor.threads(),
        threads.value(),
        xnnpack ? "on" : "off");
    String policy = System.getenv("OMP_WAIT_POLICY");
    out.printf(
        "OMP_WAIT_POLICY=%s; %d warm-up + %d measured iterations per row%n",
        policy == null ? "(unset: OpenMP threads spin before they sleep)" : policy, warmup, steps);
    List<CardFile> cards = new ArrayList<>();
    Path temp = null;
    if (cardPath != null) {
      cards.add(CardFile.read(cardPath));
    } else {
      temp = Files.createTempDirectory("promptedge-throughput");
      for (VitSpec vit : List.of(VitSpec.micro(false), demo())) {
        cards.add(
            BackboneFiles.write(
                temp,
                vit,
                VitWeights.random(vit, seed.value()),
                Provenances.of(spec, seed.value(), "none: seeded random weights")));
      }
    }
    try {
      for (CardFile card : cards) {
        measure(out, card, config);
      }
    } finally {
      if (temp != null) {
        FileTrees.deleteTree(temp);
      }
    }
    return 0;
  }

  /** The demo-size ViT: 64x64 input, patch 8, D 128, depth 4, 4 heads, MLP x4, P 8, shallow. */
  static VitSpec demo() {
    VitSpec micro = VitSpec.micro(false);
    return new VitSpec(
        "demo",
        64,
        64,
        8,
        128,
        4,
        4,
        4,
        8,
        false,
        micro.layerNormEpsilon(),
        micro.normalizationMean(),
        micro.normalizationStd());
  }

  private void measure(PrintWriter out, CardFile card, InterpreterConfig config) throws Exception {
    String name = card.card().getName();
    if (card.promptInputs().isEmpty()) {
      throw new IllegalArgumentException(
          name
              + " has no prompt inputs, so there is no prompt-training step to time; import it"
              + " with 'backbone import --prompt pixel|channel|tokens'");
    }
    String key = card.card().getSignature();
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    TfliteGraph graph = TfliteGraph.read(floatModel, key);
    Map<String, float[]> inputs = InterpreterParity.randomInputs(graph, batch, seed.value());
    Map<String, float[]> single = InterpreterParity.randomInputs(graph, 1, seed.value());
    out.printf("%s: %d bytes float; quantizing to full integer ...%n", name, floatModel.length);
    out.flush();
    var c = card.card();
    Calibration calibration =
        Calibration.forBackbone(
            card,
            CalibrationImages.synthetic(c.getInputWidth(), c.getInputHeight(), 16, 100).images(),
            Calibration.DEFAULT_PROMPT_STD,
            seed.value());
    // Quantization's own interpreter runs are not timed: without XNNPACK they skip its weight
    // packing for each of the many models the op-sensitivity check opens.
    InterpreterConfig plain = new InterpreterConfig(config.threads(), false, Optional.empty());
    long start = System.nanoTime();
    byte[] int8 = Quantizer.fullInteger(floatModel, calibration, plain).bytes();
    out.printf(
        "%s: full integer %d bytes in %.1f s%n",
        name, int8.length, (System.nanoTime() - start) / 1e9);

    Throughput.header(out);
    Throughput.Row train =
        new Throughput.Row(
            name, "host train step (fwd+bwd, prompt grad)", batch, trainStep(card, graph, inputs));
    Throughput.print(out, train, train);
    Throughput.print(
        out,
        new Throughput.Row(name, "host forward (no grad)", batch, hostForward(card, graph, inputs)),
        train);
    for (int b : new int[] {batch, 1}) {
      Map<String, float[]> feeds = b == batch ? inputs : single;
      Throughput.print(
          out,
          new Throughput.Row(
              name, "interpreter float32", b, interpreter(floatModel, key, feeds, b, config)),
          train);
      Throughput.print(
          out,
          new Throughput.Row(name, "interpreter int8", b, interpreter(int8, key, feeds, b, config)),
          train);
    }
  }

  /**
   * Forward and backward of a mean-square loss over every feature output of the card, gradients for
   * every prompt input of the card only.
   */
  private Throughput.Times trainStep(
      CardFile card, TfliteGraph graph, Map<String, float[]> inputs) {
    List<String> prompts = card.promptInputs().stream().map(PromptSlot::name).toList();
    List<String> features = featureNames(card);
    try (GraphExecutor exec =
            GraphExecutor.builder(graph).optGradientInputs(prompts.toArray(String[]::new)).build();
        NDManager scope = exec.manager().newSubManager()) {
      Map<String, NDArray> arrays = arrays(exec, scope, inputs);
      return Throughput.time(
          warmup,
          steps,
          () -> {
            try (NDManager step = scope.newSubManager();
                GradientCollector collector = exec.newGradientCollector()) {
              Map<String, NDArray> out = exec.forward(step, arrays);
              NDArray loss = null;
              for (String f : features) {
                NDArray l = out.get(f).square().mean();
                loss = loss == null ? l : loss.add(l);
              }
              collector.backward(loss);
              for (String p : prompts) {
                try (NDArray gradient = arrays.get(p).getGradient()) {
                  gradient.toFloatArray();
                }
              }
            }
          });
    }
  }

  private Throughput.Times hostForward(
      CardFile card, TfliteGraph graph, Map<String, float[]> inputs) {
    List<String> features = featureNames(card);
    try (GraphExecutor exec = GraphExecutor.builder(graph).build();
        NDManager scope = exec.manager().newSubManager()) {
      Map<String, NDArray> arrays = arrays(exec, scope, inputs);
      return Throughput.time(
          warmup,
          steps,
          () -> {
            try (NDManager step = scope.newSubManager()) {
              Map<String, NDArray> out = exec.forward(step, arrays);
              for (String f : features) {
                out.get(f).toFloatArray();
              }
            }
          });
    }
  }

  private static List<String> featureNames(CardFile card) {
    return card.featureOutputs().stream().map(FeatureMap::name).toList();
  }

  private Map<String, NDArray> arrays(
      GraphExecutor exec, NDManager scope, Map<String, float[]> inputs) {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, float[]> e : inputs.entrySet()) {
      arrays.put(e.getKey(), scope.create(e.getValue(), exec.batchShape(e.getKey(), batch)));
    }
    return arrays;
  }

  private Throughput.Times interpreter(
      byte[] model, String key, Map<String, float[]> inputs, int b, InterpreterConfig config) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(model.length).order(ByteOrder.nativeOrder());
    buffer.put(model).rewind();
    try (SignatureRunner runner = SignatureRunner.open(buffer, key, config)) {
      return Throughput.time(warmup, steps, () -> runner.run(inputs, b));
    }
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (java.io.IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
    return "unknown (no model name in /proc/cpuinfo)";
  }
}
