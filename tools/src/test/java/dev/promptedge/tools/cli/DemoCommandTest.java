package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.CocoDataset;
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

  @TempDir Path work;

  @Test
  void servesBothTrainedTasksWithOneBackboneSession() throws Exception {
    Cli cli = Cli.run("demo", "--work", work.toString()).expect(0);
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
    String tflite = Cli.run("demo", "--work", work.resolve("tflite").toString()).expect(0).out();
    Cli ort =
        Cli.run("demo", "--work", work.resolve("ort").toString(), "--engine", "onnxruntime")
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
