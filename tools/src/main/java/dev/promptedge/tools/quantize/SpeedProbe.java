package dev.promptedge.tools.quantize;

import dev.promptedge.format.Provenance;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.graph.BackboneFiles;
import dev.promptedge.tools.graph.VitBuilder;
import dev.promptedge.tools.graph.VitSpec;
import dev.promptedge.tools.graph.VitWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.lite.schema.BuiltinOperator;

/**
 * Measuring tool: the demo-size ViT (64x64, patch 8, D 96, depth 4, 3 heads, MLP x4, P 8) in float,
 * dynamic range and full int8, whole-model and per op, at 1 interpreter thread. Run: {@code java
 * -cp 'tools/target/classes:tools/target/lib/*' dev.promptedge.tools.quantize.SpeedProbe [repeats]
 * [all|whole|ops]}.
 */
public final class SpeedProbe {

  private SpeedProbe() {}

  /** Prints the tables. */
  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    String part = args.length > 1 ? args[1] : "all";
    InterpreterConfig config = new InterpreterConfig(1, false, Optional.empty());
    VitSpec spec = VitSpec.demo(false);
    Path dir = Files.createTempDirectory("speedprobe");
    CardFile card =
        BackboneFiles.write(
            dir,
            spec,
            VitWeights.random(spec, 7),
            Provenance.newBuilder().setCommand("probe").setTool("probe").build());
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    Calibration calibration =
        Calibration.forBackbone(
            card,
            CalibrationImages.synthetic(64, 64, 32, 7000).images(),
            Calibration.DEFAULT_PROMPT_STD,
            7);
    List<Map<String, float[]>> heldOut =
        Calibration.forBackbone(
                card,
                CalibrationImages.synthetic(64, 64, 8, 7500).images(),
                Calibration.DEFAULT_PROMPT_STD,
                8)
            .samples();
    long t0 = System.nanoTime();
    QuantizedModel full = Quantizer.fullInteger(floatModel, calibration, config);
    System.out.printf("full int8 quantization took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    System.out.println("float ops in int8 model: " + full.floatOps());
    byte[] dynamic = Quantizer.dynamicRange(floatModel).bytes();
    TensorRanges ranges = TensorRanges.measure(floatModel, calibration, config, (a, b) -> {});

    if (!part.equals("ops")) {
      wholeModels(floatModel, full, dynamic, calibration, ranges, heldOut, repeats);
    }
    if (part.equals("whole")) {
      return;
    }
    perOps(floatModel, full, dynamic, ranges, repeats);
  }

  private static void wholeModels(
      byte[] floatModel,
      QuantizedModel full,
      byte[] dynamic,
      Calibration calibration,
      TensorRanges ranges,
      List<Map<String, float[]>> heldOut,
      int repeats) {
    InterpreterConfig config = new InterpreterConfig(1, false, Optional.empty());
    InterpreterConfig xnn = new InterpreterConfig(1, true, Optional.empty());
    System.out.println("\n## whole model, batch 1, 1 thread (median of repeats; min..max)");
    whole("float XNNPACK off", floatModel, floatModel, heldOut, config, repeats);
    whole("float XNNPACK on", floatModel, floatModel, heldOut, xnn, repeats);
    whole("dynamic XNNPACK off", floatModel, dynamic, heldOut, config, repeats);
    whole("full int8 (as shipped)", floatModel, full.bytes(), heldOut, config, repeats);

    for (Set<Integer> kinds :
        List.of(
            Quantizer.SLOW_INT8_ON_X86,
            Set.of(BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.BATCH_MATMUL))) {
      QuantizedModel fast =
          Quantizer.fullInteger(floatModel, calibration, config, kinds, (a, b) -> {});
      String label =
          "full int8, float: " + kinds.stream().map(BuiltinOperator::name).sorted().toList();
      whole(label, floatModel, fast.bytes(), heldOut, config, repeats);
    }

    System.out.println(
        "\n## full int8 with op kinds progressively kept float (no sensitivity islands: for"
            + " timing attribution; drift not representative)");
    List<Integer> order =
        List.of(
            BuiltinOperator.MEAN,
            BuiltinOperator.RSQRT,
            BuiltinOperator.BATCH_MATMUL,
            BuiltinOperator.SOFTMAX,
            BuiltinOperator.LOGISTIC,
            BuiltinOperator.MUL,
            BuiltinOperator.SUB,
            BuiltinOperator.ADD,
            BuiltinOperator.FULLY_CONNECTED);
    List<Integer> kept = new ArrayList<>();
    for (int code : order) {
      kept.add(code);
      Set<Integer> floatKinds = Set.copyOf(kept);
      byte[] variant =
          FullIntegerRewriter.rewrite(
                  ModelGraph.parse(floatModel), ranges, (p, c) -> !floatKinds.contains(c), Map.of())
              .bytes();
      String label = "float: " + kept.stream().map(BuiltinOperator::name).toList();
      whole(label, floatModel, variant, heldOut, config, repeats);
    }
  }

  private static void perOps(
      byte[] floatModel, QuantizedModel full, byte[] dynamic, TensorRanges ranges, int repeats) {
    InterpreterConfig config = new InterpreterConfig(1, false, Optional.empty());
    System.out.println("\n## per op, float model");
    table(OpProfile.perOp(floatModel, config, repeats));
    System.out.println("\n## per op, full int8 model");
    table(OpProfile.perOp(full.bytes(), config, repeats));
    System.out.println("\n## per op, dynamic-range model");
    table(OpProfile.perOp(dynamic, config, repeats));
    System.out.println("\n## per op, CONV_2D alone int8");
    byte[] conv =
        FullIntegerRewriter.rewrite(
                ModelGraph.parse(floatModel), ranges, (p, c) -> c == BuiltinOperator.CONV_2D)
            .bytes();
    table(
        OpProfile.perOp(conv, config, repeats).stream()
            .filter(r -> r.kind().equals("CONV_2D"))
            .toList());
  }

  static void whole(
      String label,
      byte[] reference,
      byte[] model,
      List<Map<String, float[]>> heldOut,
      InterpreterConfig config,
      int repeats) {
    double[] ms = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      ms[r] = OpProfile.medianMs(model, config, 1500);
    }
    Arrays.sort(ms);
    Drift drift =
        Drift.measure(reference, model, VitBuilder.SIGNATURE, VitBuilder.FEATURES, heldOut, config);
    System.out.printf(
        "| %s | %.3f ms | %.3f..%.3f | cos mean %.5f min %.5f | max abs %.3f | %d B |%n",
        label,
        ms[repeats / 2],
        ms[0],
        ms[repeats - 1],
        drift.meanCosine(),
        drift.minCosine(),
        drift.maxAbsError(),
        model.length);
  }

  static void table(List<OpProfile.Row> rows) {
    double total = 0;
    for (OpProfile.Row row : rows) {
      total += row.totalMs();
    }
    System.out.println("| op | shapes | count | ms each | spread | ms total |");
    for (OpProfile.Row row : rows) {
      System.out.printf(
          "| %s | %s | %d | %.4f | %.4f | %.3f |%n",
          row.kind(), row.shapes(), row.count(), row.medianMs(), row.spreadMs(), row.totalMs());
    }
    System.out.printf("sum of op totals: %.3f ms%n", total);
  }
}
