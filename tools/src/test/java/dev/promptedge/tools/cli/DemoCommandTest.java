package dev.promptedge.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.tools.data.SegmentationDataset;
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
  void servesBothTrainedTasksWithOneBackboneInterpreter() throws Exception {
    Cli cli = Cli.run("demo", "--work", work.toString()).expect(0);
    assertEquals("", cli.err());
    String out = cli.out();
    List<String> lines = out.lines().toList();
    assertTrue(out.startsWith("backbone  demo-vit (float): 1,933,864 bytes, input 64x64"), out);
    assertTrue(out.contains("bundle    fashion-detect v1 (DETECTION): "), out);
    assertTrue(out.contains("bundle    fashion-segment v1 (SEGMENTATION): "), out);
    assertTrue(out.contains("installed [fashion-detect, fashion-segment]"), out);

    List<String> scenes = DemoAssets.extract(work.resolve("again"));
    assertEquals(6, scenes.size());
    int found = 0;
    int objects = 0;
    double pixelAccuracy = 0;
    Pattern foundLine = Pattern.compile("found (\\d+) of (\\d+) true objects");
    Pattern accuracyLine = Pattern.compile("pixel accuracy (\\d\\.\\d+) against the true mask");
    for (String scene : scenes) {
      assertTrue(lines.stream().anyMatch(l -> l.startsWith(scene + "  truth: ")), out);
      for (String task : List.of("fashion-detect", "fashion-segment")) {
        List<String> runs =
            lines.stream()
                .filter(l -> l.startsWith(scene + "  activate " + task + " in "))
                .filter(l -> l.contains("-> " + task + " v1: "))
                .toList();
        assertEquals(1, runs.size(), () -> scene + " run by " + task + " missing:\n" + out);
        Matcher f = foundLine.matcher(runs.get(0));
        Matcher a = accuracyLine.matcher(runs.get(0));
        if (f.find()) {
          found += Integer.parseInt(f.group(1));
          objects += Integer.parseInt(f.group(2));
        } else {
          assertTrue(a.find(), runs.get(0));
          pixelAccuracy += Double.parseDouble(a.group(1)) / scenes.size();
        }
        BufferedImage drawn =
            ImageIO.read(
                work.resolve("drawn/" + scene.replace(".png", "-" + task + ".png")).toFile());
        assertEquals(256, drawn.getWidth(), "64-pixel scenes drawn 4x");
      }
    }
    // Trained bundles, not seeded ones: a fair share of the true objects is found, and more pixels
    // are right than by calling every pixel background.
    assertTrue(objects > 6, out);
    assertTrue(found * 4 >= objects, () -> "fashion-detect found too few objects:\n" + out);
    double background = backgroundShare(work.resolve("again/scenes/segmentation/val"));
    double accuracy = pixelAccuracy;
    assertTrue(
        accuracy > background,
        () -> "pixel accuracy " + accuracy + " <= all-background " + background + ":\n" + out);
    assertTrue(lines.contains("backbone interpreters created while serving both tasks: 1"), out);
    assertTrue(Files.isDirectory(work.resolve("store")));
  }

  /** Mean over the scenes of the share of background pixels in the true mask. */
  private static double backgroundShare(Path split) {
    SegmentationDataset masks = SegmentationDataset.open(split);
    double sum = 0;
    for (int i = 0; i < masks.size(); i++) {
      int[] histogram = masks.get(i).mask().histogram();
      sum += (double) histogram[0] / java.util.Arrays.stream(histogram).sum() / masks.size();
    }
    return sum;
  }
}
