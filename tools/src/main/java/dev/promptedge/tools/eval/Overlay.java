package dev.promptedge.tools.eval;

import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.image.Box;
import dev.promptedge.runtime.task.TaskOutput;
import dev.promptedge.tools.data.DetectionSample;
import dev.promptedge.tools.data.Instance;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws an evaluated image for the report with Java2D, scaled up so small images stay legible:
 * detection boxes with label and score (ground truth as thin white outlines), a translucent colour
 * per segmentation class (the background class left clear), or the top-1 class and the true one.
 * Stateless.
 */
public final class Overlay {

  /** Smallest side of a drawn image, in pixels. */
  static final int MIN_SIDE = 256;

  private static final Color[] PALETTE = {
    new Color(230, 25, 75),
    new Color(60, 180, 75),
    new Color(255, 225, 25),
    new Color(0, 130, 200),
    new Color(245, 130, 48),
    new Color(145, 30, 180),
    new Color(70, 240, 240),
    new Color(240, 50, 230),
    new Color(210, 245, 60),
    new Color(250, 190, 212),
    new Color(0, 128, 128),
    new Color(170, 110, 40)
  };

  private Overlay() {}

  static Color colour(int classId) {
    return PALETTE[classId % PALETTE.length];
  }

  /**
   * The image of {@code result} with its output drawn; detections below {@code scoreThreshold} are
   * left out (the report shows what the device would show).
   */
  public static BufferedImage draw(
      ImageResult result, float scoreThreshold, int backgroundClass, String truthLabel) {
    BufferedImage source = result.sample().image();
    int w = source.getWidth();
    int h = source.getHeight();
    double scale = Math.max(1, Math.ceil((double) MIN_SIDE / Math.min(w, h)));
    BufferedImage out =
        new BufferedImage((int) (w * scale), (int) (h * scale), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.drawImage(source, 0, 0, out.getWidth(), out.getHeight(), null);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
      TaskOutput output = result.result().output();
      if (output instanceof TaskOutput.Detections d) {
        drawDetections(g, result, d.boxes(), scoreThreshold, scale);
      } else if (output instanceof TaskOutput.Segmentation s) {
        drawMask(out, s.mask(), backgroundClass, scale);
      } else if (output instanceof TaskOutput.Classes c && !c.top().isEmpty()) {
        drawClass(g, c.top().get(0), truthLabel);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static void drawDetections(
      Graphics2D g, ImageResult result, List<Detection> boxes, float threshold, double scale) {
    if (result.sample() instanceof DetectionSample d) {
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(1f));
      for (Instance i : d.instances()) {
        rect(g, i.box(), scale);
      }
    }
    g.setStroke(new BasicStroke(2f));
    for (Detection det : boxes) {
      if (det.score() < threshold) {
        continue;
      }
      g.setColor(colour(det.classId()));
      rect(g, det.box(), scale);
      String text = det.label() + " " + String.format(Locale.ROOT, "%.2f", det.score());
      int x = (int) (det.box().xMin() * scale);
      int y = (int) (det.box().yMin() * scale);
      int tw = g.getFontMetrics().stringWidth(text);
      int th = g.getFontMetrics().getHeight();
      int top = Math.max(0, y - th);
      g.fillRect(x, top, tw + 4, th);
      g.setColor(Color.BLACK);
      g.drawString(text, x + 2, top + th - g.getFontMetrics().getDescent());
    }
  }

  private static void rect(Graphics2D g, Box b, double scale) {
    g.drawRect(
        (int) Math.round(b.xMin() * scale),
        (int) Math.round(b.yMin() * scale),
        (int) Math.round(b.width() * scale),
        (int) Math.round(b.height() * scale));
  }

  private static void drawMask(
      BufferedImage out, SegmentationMask mask, int backgroundClass, double scale) {
    for (int y = 0; y < out.getHeight(); y++) {
      int my = Math.min(mask.height() - 1, (int) (y / scale));
      for (int x = 0; x < out.getWidth(); x++) {
        int c = mask.classAt(Math.min(mask.width() - 1, (int) (x / scale)), my);
        if (c == backgroundClass) {
          continue;
        }
        out.setRGB(x, y, blend(out.getRGB(x, y), colour(c), 0.5));
      }
    }
  }

  static int blend(int rgb, Color colour, double alpha) {
    int r = (int) Math.round(((rgb >> 16) & 0xFF) * (1 - alpha) + colour.getRed() * alpha);
    int gr = (int) Math.round(((rgb >> 8) & 0xFF) * (1 - alpha) + colour.getGreen() * alpha);
    int b = (int) Math.round((rgb & 0xFF) * (1 - alpha) + colour.getBlue() * alpha);
    return (r << 16) | (gr << 8) | b;
  }

  private static void drawClass(Graphics2D g, ClassProbability best, String truth) {
    String text = String.format(Locale.ROOT, "%s %.2f", best.label(), best.probability());
    String second = "true: " + truth;
    int width =
        Math.max(g.getFontMetrics().stringWidth(text), g.getFontMetrics().stringWidth(second));
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, width + 8, 2 * g.getFontMetrics().getHeight());
    g.setColor(Color.WHITE);
    g.drawString(text, 4, g.getFontMetrics().getAscent());
    g.drawString(second, 4, g.getFontMetrics().getHeight() + g.getFontMetrics().getAscent());
  }
}
