package dev.promptedge.runtime.daemon.api;

import dev.promptedge.runtime.head.ClassProbability;
import dev.promptedge.runtime.head.Detection;
import dev.promptedge.runtime.head.SegmentationMask;
import dev.promptedge.runtime.task.InferenceResult;
import dev.promptedge.runtime.task.TaskOutput;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A frame's results drawn onto the frame: segmentation masks blended in first (background left
 * clear), then detection boxes with their label and score, then each classification's top class.
 * Every class id has one colour across tasks. Stateless; the image passed in is drawn on.
 */
final class ResultOverlay {

  /** Mask colour weight in the blend, out of 256. */
  static final int MASK_ALPHA = 115;

  private static final int[] PALETTE = {
    0xE6194B, 0x3CB44B, 0xFFE119, 0x4363D8, 0xF58231, 0x911EB4, 0x46F0F0, 0xF032E6, 0xBCF60C,
    0x008080, 0x9A6324, 0x800000, 0xAAFFC3, 0x808000, 0x000075
  };

  /** Labels need a font; a JRE without any still gets boxes and masks. */
  private static volatile boolean fontsWork = true;

  private ResultOverlay() {}

  /** The colour (RGB) of class {@code classId}. */
  static int colour(int classId) {
    return PALETTE[Math.floorMod(classId, PALETTE.length)];
  }

  /** Draws {@code results} onto {@code frame} (a {@code TYPE_INT_RGB} image) and returns it. */
  static BufferedImage draw(BufferedImage frame, List<InferenceResult> results) {
    for (InferenceResult r : results) {
      if (r.output() instanceof TaskOutput.Segmentation seg) {
        blend(frame, seg.mask());
      }
    }
    Graphics2D g = frame.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      int line = Math.max(2, Math.min(frame.getWidth(), frame.getHeight()) / 160);
      int fontSize = Math.max(10, Math.min(frame.getWidth(), frame.getHeight()) / 30);
      int classLine = 0;
      for (InferenceResult r : results) {
        if (r.output() instanceof TaskOutput.Detections d) {
          for (Detection box : d.boxes()) {
            box(g, frame, box, line, fontSize, r);
          }
        } else if (r.output() instanceof TaskOutput.Classes c && !c.top().isEmpty()) {
          ClassProbability top = c.top().get(0);
          label(
              g,
              r.bundleName()
                  + ": "
                  + top.label()
                  + String.format(Locale.ROOT, " %.2f", top.probability()),
              2,
              2 + classLine++ * (fontSize + 6),
              fontSize,
              colour(top.classId()));
        }
      }
    } finally {
      g.dispose();
    }
    return frame;
  }

  private static void blend(BufferedImage frame, SegmentationMask mask) {
    int w = frame.getWidth();
    int h = frame.getHeight();
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int my = (int) ((long) y * mask.height() / h);
      frame.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int c = mask.classAt((int) ((long) x * mask.width() / w), my);
        if (c != mask.backgroundClass()) {
          row[x] = mix(row[x], colour(c));
        }
      }
      frame.setRGB(0, y, w, 1, row, 0, w);
    }
  }

  private static int mix(int under, int over) {
    int r = channel(under >> 16, over >> 16);
    int g = channel(under >> 8, over >> 8);
    int b = channel(under, over);
    return (r << 16) | (g << 8) | b;
  }

  private static int channel(int under, int over) {
    return ((under & 0xFF) * (256 - MASK_ALPHA) + (over & 0xFF) * MASK_ALPHA) >> 8;
  }

  private static void box(
      Graphics2D g,
      BufferedImage frame,
      Detection d,
      int line,
      int fontSize,
      InferenceResult result) {
    int x0 = clamp(Math.round(d.box().xMin()), frame.getWidth() - 1);
    int y0 = clamp(Math.round(d.box().yMin()), frame.getHeight() - 1);
    int x1 = clamp(Math.round(d.box().xMax()), frame.getWidth() - 1);
    int y1 = clamp(Math.round(d.box().yMax()), frame.getHeight() - 1);
    int rgb = colour(d.classId());
    g.setColor(new Color(rgb));
    g.setStroke(new BasicStroke(line));
    g.drawRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    label(
        g,
        d.label() + String.format(Locale.ROOT, " %.2f", d.score()),
        x0,
        Math.max(0, y0 - fontSize - 4),
        fontSize,
        rgb);
  }

  /** A filled tag with {@code text} whose top-left corner is at x, y. */
  private static void label(Graphics2D g, String text, int x, int y, int fontSize, int rgb) {
    if (!fontsWork) {
      return;
    }
    try {
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fontSize));
      FontMetrics m = g.getFontMetrics();
      g.setColor(new Color(rgb));
      g.fillRect(x, y, m.stringWidth(text) + 4, m.getHeight() + 2);
      int luma = (299 * (rgb >> 16 & 0xFF) + 587 * (rgb >> 8 & 0xFF) + 114 * (rgb & 0xFF)) / 1000;
      g.setColor(luma > 140 ? Color.BLACK : Color.WHITE);
      g.drawString(text, x + 2, y + 1 + m.getAscent());
    } catch (RuntimeException | Error e) {
      fontsWork = false; // e.g. no fontconfig fonts on the device
    }
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
