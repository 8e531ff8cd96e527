package dev.promptedge.tools.cli;

import dev.promptedge.runtime.store.Sha256;
import dev.promptedge.tools.graph.GraphReport;
import dev.promptedge.tools.graph.InterpreterParity;
import dev.promptedge.tools.graph.TfliteGraph;
import dev.promptedge.tools.graph.VitBuilder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code promptedge backbone verify}: tells a user, before any training, whether their backbone
 * will work: the {@code encode} contract, every operator (supported or not) and the host engine's
 * error against the interpreter on random inputs. Exit code 0 only when all three pass.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a float32 .tflite backbone before training: the signature contract (pixels"
          + " [B,H,W,3] + prompt [B,L,P,D] -> features [B,Hp,Wp,D], or contract v2: pixels plus"
          + " prompt inputs prompt, pixel_prompt, scale_shift_<k> -> features or"
          + " features_<suffix> [B,Hf,Wf,C]), every operator supported by"
          + " the host engine or not, and the host engine's max error against the TFLite"
          + " interpreter on random inputs. Exit code 0 only if the backbone will work.",
      "",
      "Example: promptedge backbone verify --model models/micro-shallow.tflite"
    })
final class BackboneVerifyCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE.tflite",
      description = "The float32 backbone to check.")
  Path model;

  @Option(
      names = "--signature",
      defaultValue = VitBuilder.SIGNATURE,
      description = "Signature key to check (default: ${DEFAULT-VALUE}).")
  String signature;

  @Option(
      names = "--batch",
      defaultValue = "2",
      description = "Batch of the random inputs when the batch is dynamic (default: 2).")
  int batch;

  @CommandLine.Mixin SeedOption seed = new SeedOption(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    byte[] bytes = Files.readAllBytes(model);
    out.printf("model %s (%d bytes, sha256 %s)%n", model, bytes.length, Sha256.hex(bytes));
    GraphReport report = TfliteGraph.inspect(bytes, signature);
    TfliteGraph graph = report.graph();
    if (graph == null) {
      out.println("contract: FAIL " + report.problems().get(0));
      out.println("verdict: FAIL, this model will not work with promptedge");
      return 1;
    }
    boolean contract = contract(out, graph);
    boolean ops = operators(out, graph, report);
    boolean parity = ops && parity(out, bytes, graph);
    boolean ok = contract && ops && parity;
    out.println(
        ok
            ? "verdict: OK, this backbone works with promptedge"
            : "verdict: FAIL, this model will not work with promptedge (see the lines above)");
    return ok ? 0 : 1;
  }

  /** Prints the signature's tensors and checks the encode contract. */
  private boolean contract(PrintWriter out, TfliteGraph graph) {
    List<String> problems = new ArrayList<>();
    out.printf("signature '%s':%n", graph.signature());
    for (String name : graph.inputNames()) {
      out.printf("  input  %-9s %s%n", name, Arrays.toString(graph.shapeOf(name)));
    }
    for (String name : graph.outputNames()) {
      out.printf("  output %-9s %s%n", name, Arrays.toString(graph.shapeOf(name)));
    }
    List<String> wantedIn = List.of(VitBuilder.PIXELS, VitBuilder.PROMPT);
    boolean v1 =
        graph.inputNames().containsAll(wantedIn)
            && graph.inputNames().size() == 2
            && graph.outputNames().contains(VitBuilder.FEATURES);
    if (!v1 && graph.inputNames().contains(VitBuilder.PIXELS)) {
      List<String> v2 = V2SignatureContract.problems(graph);
      if (v2.isEmpty()) {
        out.println(V2SignatureContract.summary(graph));
        return true;
      }
      for (String p : v2) {
        out.println("contract: FAIL " + p);
      }
      return false;
    }
    if (!graph.inputNames().containsAll(wantedIn) || graph.inputNames().size() != 2) {
      problems.add(
          "inputs must be exactly pixels [B,H,W,3] and prompt [B,L,P,D], the model has "
              + graph.inputNames()
              + "; rename them in the signature (or re-export the model with a prompt input)");
    }
    if (!graph.outputNames().contains(VitBuilder.FEATURES)) {
      problems.add(
          "an output named features [B,Hp,Wp,D] is needed, the model has " + graph.outputNames());
    }
    if (problems.isEmpty()) {
      int[] pixels = graph.shapeOf(VitBuilder.PIXELS);
      int[] prompt = graph.shapeOf(VitBuilder.PROMPT);
      int[] features = graph.shapeOf(VitBuilder.FEATURES);
      if (pixels.length != 4 || pixels[3] != 3) {
        problems.add("pixels must be [B,H,W,3], is " + Arrays.toString(pixels));
      }
      if (prompt.length != 4) {
        problems.add("prompt must be [B,L,P,D], is " + Arrays.toString(prompt));
      }
      if (features.length != 4) {
        problems.add("features must be [B,Hp,Wp,D], is " + Arrays.toString(features));
      }
      if (prompt.length == 4 && features.length == 4 && prompt[3] != features[3]) {
        problems.add(
            "prompt width D " + prompt[3] + " differs from the features' D " + features[3]);
      }
      if (problems.isEmpty()) {
        out.printf(
            "contract: OK H=%d W=%d L=%d P=%d D=%d grid %dx%d, batch %s%n",
            pixels[1],
            pixels[2],
            prompt[1],
            prompt[2],
            prompt[3],
            features[1],
            features[2],
            pixels[0] == -1 ? "dynamic" : "fixed at " + pixels[0] + " (one image per call)");
      }
    }
    for (String p : problems) {
      out.println("contract: FAIL " + p);
    }
    return problems.isEmpty();
  }

  /** Prints every operator kind with its count and whether the host engine runs it. */
  private boolean operators(PrintWriter out, TfliteGraph graph, GraphReport report) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String op : graph.operatorNames()) {
      counts.merge(op, 1, Integer::sum);
    }
    out.printf("operators: %d (%d kinds)%n", graph.operatorNames().size(), counts.size());
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      boolean supported = !report.unsupportedOps().contains(e.getKey());
      out.printf(
          "  %-20s x%-4d %s%n",
          e.getKey(), e.getValue(), supported ? "supported" : "NOT supported");
    }
    for (String p : report.problems()) {
      out.println("  problem: " + p);
    }
    return report.problems().isEmpty();
  }

  /** Runs both engines on random inputs and prints the error. */
  private boolean parity(PrintWriter out, byte[] bytes, TfliteGraph graph) {
    int[] first = graph.shapeOf(graph.inputNames().get(0));
    int runBatch = first.length > 0 && first[0] != -1 ? first[0] : batch;
    try {
      InterpreterParity.Result r =
          InterpreterParity.compare(
              bytes,
              graph.signature(),
              InterpreterParity.randomInputs(graph, runBatch, seed.value()),
              runBatch);
      out.printf(
          "host engine vs interpreter (random inputs, batch %d, seed %d): max abs error %.3g,"
              + " output scale %.3g, relative %.3g (tolerance %.0e): %s%n",
          runBatch,
          seed.value(),
          r.maxAbsError(),
          r.scale(),
          r.relative(),
          InterpreterParity.TOLERANCE,
          r.ok() ? "OK" : "FAIL");
      return r.ok();
    } catch (RuntimeException e) {
      out.println("host engine vs interpreter: FAIL " + PromptEdgeCli.message(e));
      return false;
    }
  }
}
