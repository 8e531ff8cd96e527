package dev.promptedge.tools.data.scenes;

import dev.promptedge.tools.data.FashionMnist;
import dev.promptedge.tools.data.Rle;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Places Fashion-MNIST items on cluttered RGB canvases. An item's pixels are the glyph's pixels
 * above {@value #THRESHOLD} after scaling, which defines its mask and box exactly; each item gets a
 * random tint, scale and position, and a later item may hide part of an earlier one (every item
 * keeps at least half of its pixels visible). A scene is a pure function of the glyphs, the options
 * and its seed. Immutable and thread-safe.
 */
public final class SceneGenerator {

  /** Glyph grey values above this are item pixels. */
  public static final int THRESHOLD = 24;

  /** Fewest pixels an item, and its visible part, may have. */
  static final int MIN_PIXELS = 12;

  private static final int PLACEMENT_TRIES = 12;

  private final FashionMnist glyphs;
  private final SceneOptions options;

  /** A generator drawing items from {@code glyphs}. */
  public SceneGenerator(FashionMnist glyphs, SceneOptions options) {
    this.glyphs = Objects.requireNonNull(glyphs, "glyphs");
    this.options = Objects.requireNonNull(options, "options");
    if (glyphs.size() == 0) {
      throw new IllegalArgumentException("no glyphs to place");
    }
  }

  /** The options scenes are made with. */
  public SceneOptions options() {
    return options;
  }

  /** The scene of {@code seed}; equal seeds give equal scenes. */
  public Scene generate(long seed) {
    int size = options.size();
    SplittableRandom r = new SplittableRandom(seed);
    int[] rgb = new int[size * size];
    Textures.paint(rgb, size, r);

    int wanted = 1 + r.nextInt(options.maxItems());
    List<Placed> placed = new ArrayList<>();
    int[] owner = new int[size * size];
    Arrays.fill(owner, -1);
    for (int k = 0; k < wanted; k++) {
      for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
        Placed p = candidate(r, size);
        if (p != null && keepsOthersVisible(p, placed, owner)) {
          for (int i = p.pixels.nextSetBit(0); i >= 0; i = p.pixels.nextSetBit(i + 1)) {
            owner[i] = placed.size();
          }
          placed.add(p);
          break;
        }
      }
    }
    for (int i = 0; i < owner.length; i++) {
      if (owner[i] >= 0) {
        Placed p = placed.get(owner[i]);
        rgb[i] = shade(p.tint, p.grey[i]);
      }
    }

    List<Scene.Item> items = new ArrayList<>(placed.size());
    for (int k = 0; k < placed.size(); k++) {
      BitSet visible = new BitSet(size * size);
      for (int i = 0; i < owner.length; i++) {
        if (owner[i] == k) {
          visible.set(i);
        }
      }
      Rle rle = Rle.fromBits(visible, size, size);
      items.add(new Scene.Item(placed.get(k).classIndex, rle, rle.bounds().orElseThrow()));
    }
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int[] dst = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    System.arraycopy(rgb, 0, dst, 0, rgb.length);
    return new Scene(image, items);
  }

  /** A scaled, tinted glyph at a random position, or null when it has too few pixels. */
  private Placed candidate(SplittableRandom r, int size) {
    int glyph = r.nextInt(glyphs.size());
    int side = Math.max(8, (int) StrictMath.round(size * (0.3 + 0.35 * r.nextDouble())));
    side = Math.min(side, size);
    int x0 = r.nextInt(size - side + 1);
    int y0 = r.nextInt(size - side + 1);
    int tint = tint(r);
    int[] grey = new int[size * size];
    BitSet pixels = new BitSet(size * size);
    double step = (double) FashionMnist.SIDE / side;
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int v = sample(glyph, (x + 0.5) * step - 0.5, (y + 0.5) * step - 0.5);
        if (v > THRESHOLD) {
          int i = (y0 + y) * size + x0 + x;
          pixels.set(i);
          grey[i] = v;
        }
      }
    }
    if (pixels.cardinality() < MIN_PIXELS) {
      return null;
    }
    return new Placed(glyphs.label(glyph), tint, pixels, grey);
  }

  /** Bilinear sample of a glyph with edge pixels repeated, rounded to 0..255. */
  private int sample(int glyph, double gx, double gy) {
    int max = FashionMnist.SIDE - 1;
    double cx = Math.min(Math.max(gx, 0), max);
    double cy = Math.min(Math.max(gy, 0), max);
    int xa = (int) cx;
    int ya = (int) cy;
    int xb = Math.min(xa + 1, max);
    int yb = Math.min(ya + 1, max);
    double fx = cx - xa;
    double fy = cy - ya;
    double top = glyphs.pixel(glyph, xa, ya) * (1 - fx) + glyphs.pixel(glyph, xb, ya) * fx;
    double bottom = glyphs.pixel(glyph, xa, yb) * (1 - fx) + glyphs.pixel(glyph, xb, yb) * fx;
    return (int) StrictMath.round(top * (1 - fy) + bottom * fy);
  }

  /**
   * True when every placed item keeps half its pixels, and MIN_PIXELS, once {@code p} is on top.
   */
  private static boolean keepsOthersVisible(Placed p, List<Placed> placed, int[] owner) {
    int[] lost = new int[placed.size()];
    for (int i = p.pixels.nextSetBit(0); i >= 0; i = p.pixels.nextSetBit(i + 1)) {
      if (owner[i] >= 0) {
        lost[owner[i]]++;
      }
    }
    int[] visible = new int[placed.size()];
    for (int o : owner) {
      if (o >= 0) {
        visible[o]++;
      }
    }
    for (int k = 0; k < placed.size(); k++) {
      int left = visible[k] - lost[k];
      int full = placed.get(k).pixels.cardinality();
      if (left < MIN_PIXELS || 2 * left < full) {
        return false;
      }
    }
    return true;
  }

  /** A saturated, bright random colour, so items stand out from one another. */
  private static int tint(SplittableRandom r) {
    double h = r.nextDouble() * 6;
    double s = 0.55 + 0.45 * r.nextDouble();
    double v = 0.7 + 0.3 * r.nextDouble();
    int sector = (int) h;
    double f = h - sector;
    double p = v * (1 - s);
    double q = v * (1 - s * f);
    double t = v * (1 - s * (1 - f));
    double[] c =
        switch (sector) {
          case 0 -> new double[] {v, t, p};
          case 1 -> new double[] {q, v, p};
          case 2 -> new double[] {p, v, t};
          case 3 -> new double[] {p, q, v};
          case 4 -> new double[] {t, p, v};
          default -> new double[] {v, p, q};
        };
    return (int) StrictMath.round(c[0] * 255) << 16
        | (int) StrictMath.round(c[1] * 255) << 8
        | (int) StrictMath.round(c[2] * 255);
  }

  /** The tint scaled by the glyph's grey value, keeping the glyph's texture visible. */
  private static int shade(int tint, int grey) {
    return Textures.mix(0, tint, 0.3 + 0.7 * grey / 255.0);
  }

  private record Placed(int classIndex, int tint, BitSet pixels, int[] grey) {}
}
