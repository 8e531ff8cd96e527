package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.Precision;
import dev.promptedge.runtime.backbone.CardFile;
import dev.promptedge.tools.pack.SelfTestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promptedge backbone quantize} end to end on a micro backbone. */
class BackboneQuantizeCommandTest {

  @TempDir Path dir;

  private String run(int expectedCode, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PromptEdgeCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(expectedCode, code, out + "\n" + err);
    return out + err.toString();
  }

  @Test
  void quantizesWithImagesFromADirectoryAndRecordsTheResultInTheCard() throws Exception {
    run(0, "backbone", "build", "--out", dir.toString(), "--preset", "micro");
    Path card = dir.resolve("micro-shallow.card.textproto");
    Path images = Files.createDirectories(dir.resolve("images"));
    for (int i = 0; i < 10; i++) {
      Files.write(images.resolve("img" + i + ".png"), SelfTestImages.syntheticPng(40, 30, i));
    }

    String dynamic = run(0, "backbone", "quantize", "--card", card.toString(), "--mode", "dynamic");
    assertTrue(dynamic.contains("synthetic"), dynamic);
    assertTrue(dynamic.contains("int8 dynamic"), dynamic);
    assertTrue(dynamic.contains("wrote the ONNX forms"), dynamic);
    assertEquals("micro-shallow-dynamic.onnx", CardFile.read(card).onnxModel(true).getPath());
    assertEquals(
        Precision.INT8_DYNAMIC, CardFile.read(card).card().getQuantizedModel().getPrecision());

    String full =
        run(
            0,
            "backbone",
            "quantize",
            "--card",
            card.toString(),
            "--mode",
            "int8",
            "--calibration",
            images.toString(),
            "--calibration-count",
            "6");
    assertTrue(full.contains("calibration: 6/6 samples"), full);
    assertTrue(full.contains("int8 full"), full);
    assertTrue(full.contains("held-out"), full);
    var q = CardFile.read(card).card();
    assertEquals(Precision.INT8_FULL, q.getQuantizedModel().getPrecision());
    assertEquals("micro-shallow-int8.tflite", q.getQuantizedModel().getPath());
    assertTrue(Files.exists(dir.resolve("micro-shallow-int8.tflite")));
    assertTrue(full.contains("wrote the ONNX forms"), full);
    assertEquals("micro-shallow-int8.onnx", q.getOnnxQuantizedModel().getPath());
    assertEquals(Precision.INT8_FULL, q.getOnnxQuantizedModel().getPrecision());
    assertTrue(Files.exists(dir.resolve("micro-shallow-int8.onnx")));
    String note = q.getProvenance().getNotes(q.getProvenance().getNotesCount() - 1);
    assertTrue(note.contains("6 of 10 images from"), note);
    assertTrue(note.contains("--mode int8"), note);
  }

  @Test
  void aMissingCalibrationDirectoryIsOneLineWithExitCode1() throws Exception {
    run(0, "backbone", "build", "--out", dir.toString(), "--preset", "micro");
    String out =
        run(
            1,
            "backbone",
            "quantize",
            "--card",
            dir.resolve("micro-shallow.card.textproto").toString(),
            "--mode",
            "int8",
            "--calibration",
            dir.resolve("nowhere").toString());
    assertTrue(out.contains("calibration directory") && out.contains("does not exist"), out);
  }

  @Test
  void anUnknownKeepFloatOpIsRefusedByName() throws Exception {
    run(0, "backbone", "build", "--out", dir.toString(), "--preset", "micro");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        PromptEdgeCli.run(
            new String[] {
              "backbone",
              "quantize",
              "--card",
              dir.resolve("micro-shallow.card.textproto").toString(),
              "--mode",
              "int8",
              "--keep-float",
              "FULLY_CONNECTED,FULLY_CONECTED"
            },
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertTrue(code != 0, out + "\n" + err);
    assertTrue(
        err.toString().contains("'FULLY_CONECTED' is not a TFLite builtin op"), err.toString());
    assertTrue(Files.notExists(dir.resolve("micro-shallow-int8.tflite")));
  }

  @Test
  void calibrationBundlesFeedTheirPromptsAndMustBeForTheCard() throws Exception {
    run(0, "backbone", "build", "--out", dir.toString(), "--preset", "micro");
    run(0, "backbone", "build", "--out", dir.resolve("other").toString(), "--seed", "8");
    Path card = dir.resolve("micro-shallow.card.textproto");
    Path bundle = dir.resolve("shapes.bundle");
    run(
        0,
        "bundle",
        "pack",
        "--backbone",
        card.toString(),
        "--task",
        "detection",
        "--name",
        "shapes",
        "--labels",
        "circle,square",
        "--out",
        bundle.toString());
    Path foreign = dir.resolve("foreign.bundle");
    run(
        0,
        "bundle",
        "pack",
        "--backbone",
        dir.resolve("other/micro-shallow.card.textproto").toString(),
        "--task",
        "detection",
        "--name",
        "shapes",
        "--labels",
        "circle,square",
        "--out",
        foreign.toString());

    String refused =
        run(
            2,
            "backbone",
            "quantize",
            "--card",
            card.toString(),
            "--mode",
            "int8",
            "--calibration-bundle",
            foreign.toString());
    assertTrue(refused.contains("--calibration-bundle " + foreign + " was made for"), refused);
    assertTrue(Files.notExists(dir.resolve("micro-shallow-int8.tflite")), refused);

    String full =
        run(
            0,
            "backbone",
            "quantize",
            "--card",
            card.toString(),
            "--mode",
            "int8",
            "--calibration-count",
            "6",
            "--calibration-bundle",
            bundle.toString());
    assertTrue(full.contains("calibration: 6/6 samples"), full);
    var q = CardFile.read(card).card();
    String note = q.getProvenance().getNotes(q.getProvenance().getNotesCount() - 1);
    assertTrue(note.contains("prompts cycling through those of shapes.bundle and identity"), note);
    // The bundle still installs on the int8 file once repacked against the updated card.
    run(0, "bundle", "repack", "--backbone", card.toString(), "--in", bundle.toString());
  }
}
