package dev.promptedge.benchmarks;

import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.runtime.engine.EngineKind;
import dev.promptedge.runtime.engine.InterpreterConfig;
import dev.promptedge.tools.files.FileTrees;
import dev.promptedge.tools.onnx.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One backbone forward ({@code Backbone.encode}) on both engines and both precisions in one run:
 * TFLite float with XNNPACK, TFLite int8, ONNX Runtime float and ONNX Runtime int8 (the card's QDQ
 * export), at batch 1 and 4, each as a ratio to TFLite float with XNNPACK at the same batch. The
 * four run round-robin so they share the machine's load; TFLite int8, ~50× slower, runs one round
 * in ten. Medians and 10th percentiles are both printed: on a shared machine the p10 is the closer
 * estimate of an unloaded call. The card is copied and exported to ONNX in the work directory.
 *
 * <pre>{@code
 * java -cp 'benchmarks/target/classes:benchmarks/target/lib/*' dev.promptedge.benchmarks.EngineRace \
 *     --card models/demo/demo-vit.card.textproto [--threads 1] [--rounds 200] [--work DIR]
 * }</pre>
 */
public final class EngineRace {

  private static final int[] BATCHES = {1, 4};

  private EngineRace() {}

  /** One engine and precision under test. */
  record Contender(String label, boolean quantized, InterpreterConfig config) {}

  public static void main(String[] args) throws Exception {
    Path card = null;
    Path work = Path.of("benchmarks", "target", "engine-race");
    int threads = 1;
    int rounds = 200;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--card" -> card = Path.of(args[++i]);
        case "--work" -> work = Path.of(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: EngineRace --card CARD [--threads N] [--rounds N] [--work DIR]");
          System.exit(2);
        }
      }
    }
    if (card == null) {
      System.err.println("EngineRace: --card CARD is required");
      System.exit(2);
    }
    FileTrees.deleteTree(work);
    Files.createDirectories(work);
    CardFile copy = OnnxExport.export(CardCopy.copy(CardFile.read(card), work));
    if (!copy.card().hasQuantizedModel()) {
      System.err.println("EngineRace: card " + card + " has no quantized model to race");
      System.exit(2);
    }
    InterpreterConfig tflite = new InterpreterConfig(threads, true, Optional.empty());
    List<Contender> contenders =
        List.of(
            new Contender("TFLite 2.6.2 float, XNNPACK", false, tflite),
            new Contender("TFLite 2.6.2 int8", true, tflite),
            new Contender(
                "ONNX Runtime 1.23.2 float", false, tflite.withEngine(EngineKind.ONNXRUNTIME)),
            new Contender(
                "ONNX Runtime 1.23.2 int8 (QDQ)", true, tflite.withEngine(EngineKind.ONNXRUNTIME)));
    System.out.printf(
        Locale.ROOT,
        "%s, %d thread(s), %d rounds per batch%n%s%n%n",
        copy.card().getName(),
        threads,
        rounds,
        SystemInfo.describe());
    System.out.println(
        "| engine, precision | batch | median ms | p10 ms | p90 ms | ms per image (median) |"
            + " speed vs TFLite float XNNPACK (median) | same, p10 |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    List<Backbone> backbones = new ArrayList<>();
    try {
      for (Contender c : contenders) {
        backbones.add(Backbone.open(copy, c.quantized(), c.config()));
      }
      for (int batch : BATCHES) {
        double[][] millis = race(backbones, batch, rounds);
        double base = median(millis[0]);
        double baseP10 = percentile(millis[0], 0.1);
        for (int k = 0; k < contenders.size(); k++) {
          double m = median(millis[k]);
          double p10 = percentile(millis[k], 0.1);
          System.out.printf(
              Locale.ROOT,
              "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× |%n",
              contenders.get(k).label(),
              batch,
              m,
              p10,
              percentile(millis[k], 0.9),
              m / batch,
              base / m,
              baseP10 / p10);
        }
      }
    } finally {
      backbones.forEach(Backbone::close);
    }
  }

  /** Milliseconds per call of each backbone: a warm-up, then {@code rounds} interleaved rounds. */
  private static double[][] race(List<Backbone> backbones, int batch, int rounds) {
    Backbone first = backbones.get(0);
    Random random = new Random(batch);
    float[] pixels = new float[first.pixelSize() * batch];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    List<double[]> times = new ArrayList<>();
    for (int k = 0; k < backbones.size(); k++) {
      times.add(new double[k == 1 ? Math.max(1, rounds / 10) : rounds]);
    }
    int warmup = Math.max(5, rounds / 10);
    for (int r = -warmup; r < rounds; r++) {
      for (int k = 0; k < backbones.size(); k++) {
        boolean slow = k == 1;
        if (slow && (r < -2 || (r >= 0 && r % 10 != 0))) {
          continue;
        }
        long start = System.nanoTime();
        Map<String, float[]> out = backbones.get(k).encode(pixels, Map.of(), batch);
        double ms = (System.nanoTime() - start) / 1e6;
        if (out.isEmpty()) {
          throw new IllegalStateException("no features");
        }
        if (r >= 0) {
          times.get(k)[slow ? r / 10 : r] = ms;
        }
      }
    }
    return times.toArray(double[][]::new);
  }

  private static double median(double[] values) {
    return percentile(values, 0.5);
  }

  private static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.round(p * (sorted.length - 1))];
  }
}
