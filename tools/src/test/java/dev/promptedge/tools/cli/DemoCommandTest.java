package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.CocoDataset;
import dev.promptedge.tools.demo.DemoAssets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promptedge demo}: the committed demo backbone serves both committed bundles on the
 * embedded scenes through one backbone interpreter, and the trained bundles find what is there.
 */
class DemoCommandTest {

  /**
   * The nanodet bundles find at least one in this many true objects on int8 (measured: 3 of 14 on
   * int8, 4 of 14 on float; models/nanodet/README.md).
   */
  private static final int MIN_FOUND_OF = 5;

  @TempDir Path work;

  @Test
  void servesBothTrainedTasksWithOneBackboneSession() throws Exception {
    Cli cli = Cli.run("demo", "--backbone", "vit", "--work", work.toString()).expect(0);
    assertEquals("", cli.err());
    String out = cli.out();
    List<String> lines = out.lines().toList();
    assertTrue(
        out.startsWith("backbone  demo-vit (float on tflite): 1,933,864 bytes, input 64x64"), out);
    assertTrue(out.contains("bundle    fashion-detect v1 (DETECTION): "), out);
    assertTrue(out.contains("bundle    fashion-segment v1 (SEGMENTATION): "), out);
    assertTrue(out.contains("installed [fashion-detect, fashion-segment]"), out);

    List<String> scenes = DemoAssets.extract(work.resolve("again"));
    assertEquals(6, scenes.size());
    for (String scene : scenes) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(scene + "  truth: ")), out);
      for (String task : List.of("fashion-detect", "fashion-segment")) {
        List<String> runs =
            lines.stream()
                .filter(l -> l.startsWith(scene + "  activate " + task + " in "))
                .filter(l -> l.contains("-> " + task + " v1: "))
                .toList();
        assertEquals(1, runs.size(), () -> scene + " run by " + task + " missing:\n" + out);
        assertTrue(
            runs.get(0).contains(task.endsWith("detect") ? " true objects " : " pixel accuracy "),
            runs.get(0));
        BufferedImage drawn =
            ImageIO.read(
                work.resolve("drawn/" + scene.replace(".png", "-" + task + ".png")).toFile());
        assertEquals(256, drawn.getWidth(), "64-pixel scenes drawn 4x");
      }
    }
    // Trained bundles, not seeded ones: true objects are found, and more pixels are right than by
    // calling every pixel background.
    Matcher total =
        Pattern.compile(
                "over 6 scenes: fashion-detect found (\\d+) of (\\d+) true objects;"
                    + " fashion-segment got (\\S+) of the pixels right"
                    + " \\(calling every pixel background: (\\S+)\\)")
            .matcher(out);
    assertTrue(total.find(), out);
    int found = Integer.parseInt(total.group(1));
    int objects = Integer.parseInt(total.group(2));
    assertEquals(objects, trueObjects(work.resolve("again/scenes/detection/val")), out);
    assertTrue(found * 5 >= objects, () -> "fashion-detect found too few objects:\n" + out);
    double accuracy = Double.parseDouble(total.group(3));
    double background = Double.parseDouble(total.group(4));
    assertTrue(accuracy > background + 0.01, out);
    assertTrue(lines.contains("backbone sessions opened while serving both tasks: 1"), out);
    assertTrue(Files.isDirectory(work.resolve("store")));
  }

  @Test
  void onnxRuntimeFindsWhatTfliteFinds() throws Exception {
    String tflite =
        Cli.run("demo", "--backbone", "vit", "--work", work.resolve("tflite").toString())
            .expect(0)
            .out();
    Cli ort =
        Cli.run(
                "demo",
                "--backbone",
                "vit",
                "--work",
                work.resolve("ort").toString(),
                "--engine",
                "onnxruntime")
            .expect(0);
    assertEquals("", ort.err());
    String out = ort.out();
    assertTrue(out.startsWith("backbone  exported to ONNX for onnxruntime: "), out);
    assertTrue(out.contains("backbone  demo-vit (float on onnxruntime): 1,933,864 bytes"), out);
    assertTrue(Files.isRegularFile(work.resolve("ort/demo-vit.onnx")), out);
    assertTrue(
        out.lines().toList().contains("backbone sessions opened while serving both tasks: 1"));
    assertEquals(totals(tflite), totals(out), "the engines score the scenes alike");
  }

  @Test
  void nanodetIsTheDefaultAndServesItsBundlesOnTheInt8ModelItShips() throws Exception {
    Cli cli = Cli.run("demo", "--work", work.toString()).expect(0);
    assertEquals("", cli.err());
    String out = cli.out();
    List<String> lines = out.lines().toList();
    assertTrue(
        out.startsWith(
            "backbone  float model nanodet-g-128.tflite is not shipped (models/nanodet says how to"
                + " make it): running the int8 model\n"
                + "backbone  nanodet-g-128 (int8 on tflite): "),
        out);
    assertTrue(out.contains(" bytes, input 128x128, features 16x16x128"), out);
    assertTrue(out.contains("bundle    nanodet-detect v1 (DETECTION): "), out);
    assertTrue(out.contains("bundle    nanodet-segment v1 (SEGMENTATION): "), out);
    assertTrue(out.contains("installed [nanodet-detect, nanodet-segment]"), out);
    for (String scene : DemoAssets.extract(DemoAssets.NANODET, work.resolve("again"))) {
      for (String task : List.of("nanodet-detect", "nanodet-segment")) {
        assertEquals(
            1,
            lines.stream()
                .filter(l -> l.startsWith(scene + "  activate " + task + " in "))
                .filter(l -> l.contains("-> " + task + " v1: "))
                .count(),
            () -> scene + " run by " + task + " missing:\n" + out);
      }
    }
    Matcher total =
        Pattern.compile(
                "over 6 scenes: nanodet-detect found (\\d+) of (\\d+) true objects;"
                    + " nanodet-segment got (\\S+) of the pixels right"
                    + " \\(calling every pixel background: (\\S+)\\)")
            .matcher(out);
    assertTrue(total.find(), out);
    int found = Integer.parseInt(total.group(1));
    int objects = Integer.parseInt(total.group(2));
    assertEquals(objects, trueObjects(work.resolve("again/scenes/detection/val")), out);
    assertTrue(found * MIN_FOUND_OF >= objects, () -> "nanodet-detect found too few:\n" + out);
    assertTrue(Double.parseDouble(total.group(3)) > Double.parseDouble(total.group(4)) + 0.01);
    assertTrue(lines.contains("backbone sessions opened while serving both tasks: 1"), out);
  }

  @Test
  void nanodetRunsItsInt8OnnxFormOnOnnxRuntime() throws Exception {
    Cli cli = Cli.run("demo", "--work", work.toString(), "--engine", "onnxruntime").expect(0);
    assertEquals("", cli.err());
    String out = cli.out();
    assertTrue(out.contains("backbone  nanodet-g-128 (int8 on onnxruntime): "), out);
    assertFalse(out.contains("exported to ONNX"), "the kit ships the QDQ model:\n" + out);
    Matcher total =
        Pattern.compile("over 6 scenes: nanodet-detect found (\\d+) of (\\d+) true objects;")
            .matcher(out);
    assertTrue(total.find(), out);
    assertTrue(
        Integer.parseInt(total.group(1)) * MIN_FOUND_OF >= Integer.parseInt(total.group(2)), out);
    assertTrue(
        out.lines().toList().contains("backbone sessions opened while serving both tasks: 1"), out);
  }

  @Test
  void unknownBackboneIsAUsageErrorNamingTheChoices() {
    Cli cli = Cli.run("demo", "--work", work.toString(), "--backbone", "resnet").expect(2);
    assertTrue(cli.err().contains("--backbone"), cli.err());
    assertTrue(cli.err().contains("nanodet, vit"), cli.err());
  }

  @Test
  void unknownEngineIsAUsageError() {
    Cli cli = Cli.run("demo", "--work", work.toString(), "--engine", "tpu").expect(2);
    assertTrue(
        cli.err().contains("unknown engine 'tpu': use tflite, onnxruntime or auto"), cli.err());
  }

  private static String totals(String out) {
    return out.lines().filter(l -> l.startsWith("over 6 scenes: ")).findFirst().orElse(out);
  }

  private static int trueObjects(Path split) {
    CocoDataset coco = CocoDataset.open(split.resolve("instances.json"), split.resolve("images"));
    int n = 0;
    for (int i = 0; i < coco.size(); i++) {
      n += coco.get(i).instances().size();
    }
    return n;
  }
}
