package dev.promptedge.tools.quantize;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.Backbone;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.onnx.OnnxExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code promptedge backbone quantize} from the float model to the updated card: picks the
 * calibration and held-out images, quantizes (dynamic range or full integer), measures the drift
 * against the float model, writes the int8 model and its ONNX forms beside the card and records
 * them in it, and prints size, drift and which ops stayed float. Stateless; progress goes to the
 * caller's writer.
 */
public final class QuantizeWorkflow {

  private QuantizeWorkflow() {}

  /** Runs {@code request}, printing to {@code out}, and returns the updated card. */
  public static CardFile run(QuantizeRequest request, PrintWriter out) throws IOException {
    CardFile card = request.card();
    long seed = request.seed();
    byte[] floatModel = QuantizedBackboneFiles.floatModel(card);
    int width = card.card().getInputWidth();
    int height = card.card().getInputHeight();
    CalibrationImages calibrationImages;
    CalibrationImages heldOutImages;
    if (request.calibrationDir().isPresent()) {
      Path calibrationDir = request.calibrationDir().get();
      CalibrationImages all = CalibrationImages.fromDirectory(calibrationDir);
      int n = all.images().size();
      int held = n < 2 ? 0 : Math.max(1, Math.min(request.heldOut(), n / 5));
      calibrationImages =
          new CalibrationImages(all.images().subList(0, n - held), all.description(), all.sha256())
              .first(request.calibrationCount());
      heldOutImages =
          held > 0
              ? new CalibrationImages(
                  all.images().subList(n - held, n), "last " + held + " of " + calibrationDir, "")
              : CalibrationImages.synthetic(width, height, request.heldOut(), seed * 1000 + 500);
    } else {
      out.println(
          "no --calibration DIR: calibrating on seeded synthetic images (say so in results)");
      calibrationImages =
          CalibrationImages.synthetic(width, height, request.calibrationCount(), seed * 1000);
      heldOutImages =
          CalibrationImages.synthetic(width, height, request.heldOut(), seed * 1000 + 500);
    }
    List<Map<String, float[]>> trained = request.trainedPrompts();
    float promptStd = request.promptStd();
    List<Map<String, float[]>> heldOutSamples =
        Calibration.forBackbone(card, heldOutImages.images(), promptStd, seed + 1, trained)
            .samples();

    QuantizedModel quantized;
    String data;
    if (request.precision() == Precision.INT8_DYNAMIC) {
      quantized = Quantizer.dynamicRange(floatModel);
      data = "none (dynamic range needs no calibration)";
    } else {
      Calibration calibration =
          Calibration.forBackbone(card, calibrationImages.images(), promptStd, seed, trained)
              .withPercentile(request.percentile());
      quantized =
          Quantizer.fullInteger(
              floatModel,
              calibration,
              request.config(),
              request.keepFloat(),
              (done, total) -> {
                if (System.console() != null) {
                  out.printf("\rcalibration: %d/%d samples through the float model", done, total);
                  out.flush();
                }
                if (done.equals(total)) {
                  out.printf(
                      "%scalibration: %d/%d samples through the float model%n",
                      System.console() != null ? "\r" : "", done, total);
                }
              });
      data = calibrationData(request, calibrationImages);
    }
    Drift drift =
        Drift.measure(
            floatModel,
            quantized.bytes(),
            card.card().getSignature(),
            card.featureOutputs().get(0).name(),
            heldOutSamples,
            request.config());
    String note =
        String.format(
            "quantized %s by %s: %s; calibration: %s; seed %d; drift on %s: cosine mean %.4f"
                + " min %.4f, max abs error %.4g",
            quantized.precision(),
            request.tool(),
            request.command(),
            data,
            seed,
            heldOutImages.description(),
            drift.meanCosine(),
            drift.minCosine(),
            drift.maxAbsError());
    CardFile updated = QuantizedBackboneFiles.write(card, quantized, note);
    try {
      updated = OnnxExport.export(updated);
      out.printf(
          "wrote the ONNX forms %s and %s (QDQ) for engine onnxruntime%n",
          updated.onnxPath(false), updated.onnxPath(true));
    } catch (IllegalArgumentException e) {
      out.println(
          "no ONNX forms written (the card keeps no onnx_quantized_model): " + e.getMessage());
    }
    try (Backbone backbone = Backbone.open(updated, true, request.config())) {
      out.printf(
          "wrote %s; card %s now names it (the runtime opens it: signature '%s', %s batch)%n",
          updated.modelPath(true),
          updated.path(),
          updated.card().getSignature(),
          backbone.dynamicBatch() ? "dynamic" : "fixed");
    }
    printTable(out, card, floatModel.length, quantized, drift, heldOutImages);
    printOps(out, quantized);
    return updated;
  }

  /** What the full-integer calibration ran on, for the card's note. */
  private static String calibrationData(QuantizeRequest request, CalibrationImages images) {
    float promptStd = request.promptStd();
    return images.images().size()
        + " of "
        + images.description()
        + (images.sha256().isEmpty() ? "" : " (listing sha256 " + images.sha256() + ")")
        + (request.trainedPrompts().isEmpty()
            ? ", prompts N(0, " + promptStd + "^2) with every fourth zero"
            : ", prompts cycling through those of "
                + String.join(", ", request.trainedFrom())
                + " and identity + N(0, "
                + promptStd
                + "^2)")
        + ", percentile "
        + request.percentile();
  }

  private static void printTable(
      PrintWriter out,
      CardFile card,
      int floatSize,
      QuantizedModel quantized,
      Drift drift,
      CalibrationImages heldOut) {
    String label = quantized.precision() == Precision.INT8_FULL ? "int8 full" : "int8 dynamic";
    out.printf(
        "%-13s %10s %7s %15s %15s%n", "model", "bytes", "ratio", "cosine mean/min", "max abs err");
    out.printf("%-13s %10d %7.3f %15s %15s%n", "float32", floatSize, 1.0, "1.0000/1.0000", "0");
    out.printf(
        "%-13s %10d %7.3f %15s %15s%n",
        label,
        quantized.size(),
        quantized.size() / (double) floatSize,
        String.format("%.4f/%.4f", drift.meanCosine(), drift.minCosine()),
        String.format("%.4g", drift.maxAbsError()));
    out.printf(
        "drift: features of %s on %d held-out samples (%s); largest |float feature| %.4g%n",
        card.card().getName(), drift.samples(), heldOut.description(), drift.maxAbsReference());
  }

  private static void printOps(PrintWriter out, QuantizedModel quantized) {
    Map<String, Integer> int8 = new TreeMap<>();
    for (String op : quantized.int8Ops()) {
      int8.merge(op.split(" ", 2)[0], 1, Integer::sum);
    }
    out.println("int8 ops: " + int8);
    if (quantized.floatOps().isEmpty()) {
      out.println("float ops: none");
    } else {
      out.println("float ops (" + quantized.floatOps().size() + "):");
      for (String op : quantized.floatOps()) {
        out.println("  " + op);
      }
    }
  }
}
