package dev.promptedge.runtime.daemon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptedge.format.TaskKind;
import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.StageTimings;
import dev.promptedge.runtime.task.TaskOutput;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Boxes, labels and top classes drawn on a frame, read back through a real JPEG round trip. */
class ResultOverlayTest {

  private static BufferedImage grey(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, 0x808080);
      }
    }
    return image;
  }

  private static InferenceResult result(TaskKind kind, TaskOutput output) {
    return new InferenceResult(
        "task", 1, kind, 160, 120, output, new float[0], new StageTimings(1, 1, 1, 1));
  }

  /** Largest distance of any channel of {@code rgb} from {@code expected}. */
  private static int distance(int rgb, int expected) {
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      d = Math.max(d, Math.abs((rgb >> shift & 0xFF) - (expected >> shift & 0xFF)));
    }
    return d;
  }

  @Test
  void boxesAreDrawnInTheirClassColourAndSurviveJpeg() throws Exception {
    Detection box = new Detection(3, "square", 0.91f, new Box(40, 30, 120, 100));
    // A box far outside the frame is clamped, not an error.
    Detection wild = new Detection(1, "circle", 0.5f, new Box(-1e9f, -5, 1e9f, 1e9f));
    BufferedImage drawn =
        ResultOverlay.draw(
            grey(160, 120),
            List.of(
                result(TaskKind.DETECTION, new TaskOutput.Detections(List.of(box, wild))),
                result(
                    TaskKind.CLASSIFICATION,
                    new TaskOutput.Classes(List.of(new ClassProbability(2, "none", 0.7f))))));
    byte[] jpeg = SnapshotEndpoint.jpeg(drawn);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertEquals(160, back.getWidth());
    assertEquals(120, back.getHeight());
    int colour = ResultOverlay.colour(3);
    // The left and bottom edges of the box, away from its label.
    assertTrue(
        distance(back.getRGB(40, 70), colour) < 60, Integer.toHexString(back.getRGB(40, 70)));
    assertTrue(
        distance(back.getRGB(80, 100), colour) < 60, Integer.toHexString(back.getRGB(80, 100)));
    assertTrue(distance(back.getRGB(80, 65), 0x808080) < 20, "inside the box the frame shows");
    // The clamped box runs along the right edge of the frame in its own colour.
    assertTrue(distance(back.getRGB(158, 60), ResultOverlay.colour(1)) < 60);
  }

  @Test
  void everyClassHasOneColour() {
    assertEquals(ResultOverlay.colour(0), ResultOverlay.colour(15));
    assertTrue(ResultOverlay.colour(0) != ResultOverlay.colour(1));
  }
}
